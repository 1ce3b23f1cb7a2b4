{#-
  The body of every data test of the project (the one mechanism): `failing` is a SQL
  query returning the failing rows, `message` a SQL text expression over one of them
  that says where (the file and line or key: macro row_location) and what was expected.
  - severity error (the default): no failing row, the test returns nothing and passes;
    any failing row stops the query with an error whose text, printed in the dbt log,
    is the check's name, the count and the first `max_listed` messages in `order_by`
    order. dbt then reports the error, never a bare "Got N results".
  - severity warn: the failing rows are counted and listed the same way in a warning
    (a `WARNING: ` line of dbt's log, `--warn-error` makes it an error), and the test passes: the rows it
    sets aside are counted, named, and kept out by the models that read it.
  Example:
    {{ fail_naming('duplicated tile rows', 'select source_file, tile_id from ...',
                   "source_file || ': tile ' || tile_id", 'source_file, tile_id') }}
-#}
{% macro fail_naming(check, failing, message, order_by, max_listed=10) -%}
{%- if (config.get('severity') or 'error') | lower == 'warn' -%}
    {%- if execute -%}
        {%- set summary -%}
            select
                count(*),
                array_to_string(list(m order by o)[1:{{ max_listed }}], '; ')
            from (
                select {{ message }} as m, row_number() over (order by {{ order_by }}) as o
                from ({{ failing }}) as failing
            ) as listed
        {%- endset -%}
        {%- set result = run_query(summary) -%}
        {%- set n_failing = result.rows[0][0] -%}
        {%- if n_failing > 0 -%}
            {%- do exceptions.warn(
                'WARNING: ' ~ check ~ ': ' ~ n_failing ~ ' found (first ' ~ max_listed ~ ' listed): '
                ~ result.rows[0][1]
            ) -%}
        {%- endif -%}
    {%- endif -%}
select 1 as counted_and_warned where false
{%- else -%}
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
{%- endif -%}
{%- endmacro %}

{#-
  Where a row of `model` comes from, as a SQL text expression for a test's message:
  `<file>:<line>` for a staging model (every staging model keeps the columns
  source_file and source_line of the raw file it reads), the file alone where there is
  no line (a file listing), else the model's name (an intermediate model, a mart:
  the message then names the key).
  Example: {{ row_location(model) }} -> source_file || ':' || source_line
-#}
{% macro row_location(model) -%}
    {%- if not execute -%}{{ return("''") }}{%- endif -%}
    {%- set names = adapter.get_columns_in_relation(model) | map(attribute='name') | map('lower') | list -%}
    {%- if 'source_file' in names and 'source_line' in names -%}
        {{ return("(source_file || ':' || source_line)") }}
    {%- elif 'source_file' in names -%}
        {{ return("source_file") }}
    {%- endif -%}
    {{ return("'" ~ model.identifier ~ "'") }}
{%- endmacro %}

{#-
  The file a row of `model` comes from, as a SQL text expression (column source_file),
  or the model's name where the model keeps no file.
  Example: {{ row_file(model) }} -> source_file
-#}
{% macro row_file(model) -%}
    {%- if not execute -%}{{ return("''") }}{%- endif -%}
    {%- set names = adapter.get_columns_in_relation(model) | map(attribute='name') | map('lower') | list -%}
    {{ return("source_file" if 'source_file' in names else "'" ~ model.identifier ~ "'") }}
{%- endmacro %}

{#- A value of any type as text for a message, NULL as `NULL`. -#}
{% macro as_text(expression) -%}
    coalesce(cast(({{ expression }}) as {{ dbt.type_string() }}), 'NULL')
{%- endmacro %}

{#-
  The order of a model's rows by where they come from, for the lists of a message:
  file then line (numerically) for a staging model, else the location text.
  Example: list(... order by {{ row_order(model) }})
-#}
{% macro row_order(model) -%}
    {%- if not execute -%}{{ return("1") }}{%- endif -%}
    {%- set names = adapter.get_columns_in_relation(model) | map(attribute='name') | map('lower') | list -%}
    {%- if 'source_file' in names and 'source_line' in names -%}
        {{ return("source_file, source_line") }}
    {%- endif -%}
    {{ return(row_location(model)) }}
{%- endmacro %}
