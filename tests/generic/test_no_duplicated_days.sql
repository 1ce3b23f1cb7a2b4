{#-
  Gate on the parse (int_traffic_parsed_by_partition, or Spark's): fails when two
  days' files of a city, service and direction carry the same content, a day copied
  over another (rho moves without a word), naming both files. The content is compared
  by a fingerprint of the file's daily tile totals (macro pack_tile_total: tile id and
  total in milli-units), computed from the parse, never by reading the text again:
  equal for byte copies, and for two files that carry the same traffic on every tile.
  Files without traffic (every tile 0: an outage) are not compared. With severity warn
  (var netmob_duplicated_days: warn) the pairs are named in a warning and both read.
  Example: data_tests: [no_duplicated_days]
-#}
{% test no_duplicated_days(model) %}

{%- set failing %}
with

tile_days as (
    select
        city,
        service,
        direction,
        source_file,
        unnest(tile_totals) as tile_day
    from {{ model }}
),

fingerprints as (
    select
        city,
        service,
        direction,
        source_file,
        count(*) as n_tile_rows,
        sum({{ total_milli_of('tile_day') }}) as total_milli,
        bit_xor(hash(tile_day)) as fingerprint
    from tile_days
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
    and a.total_milli = b.total_milli
    and a.source_file < b.source_file
where a.total_milli > 0
{%- endset %}

{{ fail_naming(
    'NetMob days with the same content',
    failing,
    "second_file || ' carries the same traffic on every tile as ' || first_file"
    ~ " || ' (a day copied over another); expected each day its own file'",
    'first_file, second_file'
) }}

{% endtest %}
