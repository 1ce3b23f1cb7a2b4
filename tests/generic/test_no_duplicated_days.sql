{#-
  Gate on the parse (int_traffic_parsed_by_partition, or Spark's): fails when two
  days' files of a city, service and direction carry the same content, a day copied
  over another (rho moves without a word), naming both files. The content is compared
  by the parse's file_fingerprint (macro netmob_file_fingerprint over the daily tile
  totals: tile id and total in milli-units), the file's tile rows and its total, from
  the parse, never by reading the text again:
  equal for byte copies, and for two files that carry the same traffic on every tile.
  Files without traffic (every tile 0: an outage) are not compared. With severity warn
  (var netmob_duplicated_days: warn) the pairs are named in a warning and both read.
  Example: data_tests: [no_duplicated_days]
-#}
{% test no_duplicated_days(model) %}

{%- set failing %}
with

fingerprints as (
    select
        city,
        service,
        direction,
        source_file,
        any_value(file_fingerprint) as fingerprint,
        round(sum(n_tile_rows)) as n_tile_rows,
        sum({{ netmob_day_total() }}) as total_nano
    from {{ model }}
    group by city, service, direction, source_file
)

select
    a.source_file as first_file,
    b.source_file as second_file
from fingerprints as a
inner join fingerprints as b
    on a.city = b.city
    and a.service = b.service
    and a.direction = b.direction
    and a.fingerprint = b.fingerprint
    and a.n_tile_rows = b.n_tile_rows
    and a.total_nano = b.total_nano
    and a.source_file < b.source_file
where a.total_nano > 0
{%- endset %}

{{ fail_naming(
    'NetMob days with the same content',
    failing,
    "second_file || ' carries the same traffic on every tile as ' || first_file"
    ~ " || ' (a day copied over another); expected each day its own file'",
    'first_file, second_file'
) }}

{% endtest %}
