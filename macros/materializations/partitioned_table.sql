{#-
  Materialization `partitioned_table`: builds a table one partition at a time, so a
  model over very large inputs runs in bounded memory and parses each input once.

  The model's SQL names the partition with placeholders `@@<key>@@` (inside string
  literals, e.g. `where city = '@@city@@'`); config `partitions` is a list of dicts, and
  for each dict the placeholders are replaced by its values and the rows inserted. The
  new table is built under a temporary name and swapped in only when every partition
  succeeded, as dbt's `table` materialization does.
  Example:
    {{ config(materialized='partitioned_table', partitions=netmob_partitions()) }}
    select ... from {{ ref('stg_netmob__traffic') }} where city = '@@city@@'
-#}
{% materialization partitioned_table, adapter='duckdb' %}

    {%- set partitions = config.get('partitions') -%}
    {%- if not partitions -%}
        {{ exceptions.raise_compiler_error("model " ~ this ~ ": materialized='partitioned_table' needs a non-empty config `partitions`") }}
    {%- endif -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
    {%- set preexisting_intermediate_relation = load_cached_relation(intermediate_relation) -%}
    {%- set backup_relation_type = 'table' if existing_relation is none else existing_relation.type -%}
    {%- set backup_relation = make_backup_relation(target_relation, backup_relation_type) -%}
    {%- set preexisting_backup_relation = load_cached_relation(backup_relation) -%}

    {{ drop_relation_if_exists(preexisting_intermediate_relation) }}
    {{ drop_relation_if_exists(preexisting_backup_relation) }}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- for part in partitions %}
        {%- set part_sql = namespace(text=compiled_code) %}
        {%- for key, value in part.items() %}
            {%- set part_sql.text = part_sql.text | replace('@@' ~ key ~ '@@', value) %}
        {%- endfor %}
        {%- if '@@' in part_sql.text %}
            {{ exceptions.raise_compiler_error("model " ~ this ~ ": placeholder left after substituting partition " ~ part ~ " (keys: " ~ part.keys() | list | join(', ') ~ ")") }}
        {%- endif %}
        {%- if loop.first %}
            {%- call statement('main') -%}
                create table {{ intermediate_relation }} as {{ part_sql.text }}
            {%- endcall %}
        {%- else %}
            {%- call statement('partition_' ~ loop.index) -%}
                insert into {{ intermediate_relation }} {{ part_sql.text }}
            {%- endcall %}
        {%- endif %}
    {%- endfor %}

    {% if existing_relation is not none %}
        {{ adapter.rename_relation(existing_relation, backup_relation) }}
    {% endif %}
    {{ adapter.rename_relation(intermediate_relation, target_relation) }}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do persist_docs(target_relation, model) %}
    {{ adapter.commit() }}
    {{ drop_relation_if_exists(backup_relation) }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}
