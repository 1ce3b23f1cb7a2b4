{#-
  The body of a gate test that names what fails: `failing` is a SQL query returning the
  failing rows, `message` a SQL string expression over one of them (its file, tile or
  key and what was expected). No failing row: the test returns nothing and passes. Any
  failing row: the query stops with an error whose text (printed in the dbt log) is the
  check's name, the count and the first `max_listed` messages in `order_by` order.
  Example:
    {{ fail_naming('duplicated tile rows', 'select source_file, tile_id from ...',
                   "source_file || ': tile ' || tile_id", 'source_file, tile_id') }}
-#}
{% macro fail_naming(check, failing, message, order_by, max_listed=10) -%}
with

failing as (
    {{ failing }}
),

summary as (
    select
        count(*) as n_failing,
        array_to_string(list({{ message }} order by {{ order_by }})[1:{{ max_listed }}], '; ')
            as listed
    from failing
)

-- the error sits in the filter: dbt wraps a test in count(*), which would prune a
-- projected column; CASE evaluates it only when something fails
select
    n_failing,
    listed
from summary
where
    case
        when n_failing > 0
            then {{ cpc_error(
                "'" ~ (check | replace("'", "''")) ~ ": ' || n_failing || ' failing (first "
                ~ max_listed ~ " listed): ' || listed"
            ) }} is null
        else false
    end
{%- endmacro %}
