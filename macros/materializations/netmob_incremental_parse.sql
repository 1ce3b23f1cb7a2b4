{#-
  Materialization `netmob_incremental_parse` (DuckDB): the NetMob parse, incremental by
  file (model int_traffic_parsed_by_partition; README "Incremental ingestion").

  Every row of the parse carries its file (source_file) with the file's size and
  modification time, as the directory listing saw them (int_netmob_files_listed), and
  a parse key (macro netmob_parse_key: the hash of the parse's code and of the vars it
  reads, var tile_allocation through the template and var dst_dates, and of the city's
  tile allocation). A build plans from the listing and the stored rows
  (macro netmob_parse_plan):
  - a file whose size, modification time and parse key are unchanged is kept and never
    read again;
  - the rows of every other stored file (changed, gone, or no longer in the study) are
    deleted, and every new or changed file is read, one city x service x direction at a
    time (bounded memory; macro netmob_parse_partition), and inserted.
  A first build, `--full-refresh`, a stored table without the keys, or a plan that keeps
  no file (the code or a var of the parse changed) builds the table anew under a
  temporary name, swapped in when every partition succeeded, as dbt's `table`
  materialization does. Each partition's insert is one statement, so an interrupted
  build leaves whole files only: a file whose rows were deleted is read by the next one.
  The build logs how many files it read and kept.
-#}
{% materialization netmob_incremental_parse, adapter='duckdb' %}

    {%- set partitions = config.get('partitions') -%}
    {%- if not partitions -%}
        {{ exceptions.raise_compiler_error("model " ~ this ~ ": materialized='netmob_incremental_parse' needs a non-empty config `partitions` (vars netmob_cities, netmob_services, netmob_directions)") }}
    {%- endif -%}
    {#- the parse's code and the vars it reads: the template, and the clock-change days
        (which decide how many values a file's rows have) -#}
    {%- set code_hash = local_md5(compiled_code ~ '|dst_dates=' ~ list_var('dst_dates') | join(',')) -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}

    {%- set stored = none -%}
    {%- if existing_relation is not none and existing_relation.type == 'table' and not should_full_refresh() -%}
        {%- set names = adapter.get_columns_in_relation(existing_relation) | map(attribute='name') | list -%}
        {%- if 'parse_key' in names and 'file_modified_at' in names -%}
            {%- set stored = existing_relation -%}
        {%- endif -%}
    {%- endif -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {#- the plan: which files to read, per partition -#}
    {%- set plan = run_query(netmob_parse_plan(code_hash, stored)) -%}
    {%- set todo = {} -%}
    {%- set counts = namespace(kept=0, read=0) -%}
    {%- for row in plan.rows -%}
        {%- if row['is_kept'] -%}
            {%- set counts.kept = counts.kept + 1 -%}
        {%- elif row['to_parse'] -%}
            {%- set key = row['city'] ~ '|' ~ row['service'] ~ '|' ~ row['direction'] -%}
            {%- if key not in todo -%}{%- do todo.update({key: {'files': [], 'dst_files': [], 'parse_key': row['parse_key']}}) -%}{%- endif -%}
            {%- do todo[key]['dst_files' if row['is_clock_change_day'] else 'files'].append(row['source_file']) -%}
            {%- set counts.read = counts.read + 1 -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if stored is not none and counts.kept == 0 -%}
        {{ log(this ~ ": no stored file is kept (the parse's code, vars or tile allocation changed, or every file did): building it anew", info=true) }}
        {%- set stored = none -%}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for p in partitions -%}
        {%- set key = p.city ~ '|' ~ p.service ~ '|' ~ p.direction -%}
        {%- if key in todo -%}
            {%- do parts.append(netmob_parse_partition(p, todo[key]['files'], todo[key]['dst_files'], todo[key]['parse_key'])) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set n_read_parts = parts | length -%}

    {%- if stored is none -%}
        {#- anew: under a temporary name, swapped in at the end -#}
        {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
        {%- set backup_relation = make_backup_relation(target_relation, 'table' if existing_relation is none else existing_relation.type) -%}
        {{ drop_relation_if_exists(load_cached_relation(intermediate_relation)) }}
        {{ drop_relation_if_exists(load_cached_relation(backup_relation)) }}
        {%- if not parts -%}
            {#- nothing to read (no file, or only empty ones): the table's columns, no row -#}
            {%- do parts.append(netmob_parse_partition(partitions[0], [], [], '')) -%}
        {%- endif -%}
        {%- for part_sql in parts %}
            {%- if loop.first %}
                {%- call statement('main') -%}
                    create table {{ intermediate_relation }} as {{ part_sql }}
                {%- endcall %}
            {%- else %}
                {%- call statement('partition_' ~ loop.index) -%}
                    insert into {{ intermediate_relation }} by name {{ part_sql }}
                {%- endcall %}
            {%- endif %}
        {%- endfor %}
        {% if existing_relation is not none %}
            {{ adapter.rename_relation(existing_relation, backup_relation) }}
        {% endif %}
        {{ adapter.rename_relation(intermediate_relation, target_relation) }}
    {%- else -%}
        {#- in place: the rows of files not kept go, new and changed files come in -#}
        {%- call statement('main') -%}
            delete from {{ target_relation }}
            where source_file not in (
                select plan.source_file
                from ({{ netmob_parse_plan(code_hash, stored) }}) as plan
                where plan.is_kept
            )
        {%- endcall %}
        {%- for part_sql in parts %}
            {%- call statement('partition_' ~ loop.index) -%}
                insert into {{ target_relation }} by name {{ part_sql }}
            {%- endcall %}
        {%- endfor %}
    {%- endif -%}
    {{ log(this ~ ": " ~ counts.read ~ " NetMob file(s) read in " ~ n_read_parts ~ " partition(s), "
        ~ counts.kept ~ " kept unchanged" ~ (", built anew" if stored is none else ", incremental"), info=true) }}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do persist_docs(target_relation, model) %}
    {{ adapter.commit() }}
    {%- if stored is none -%}
        {{ drop_relation_if_exists(backup_relation) }}
    {%- endif -%}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}
