{#-
  The vars' contract, run before every build, run, test or seed (on-run-start in
  dbt_project.yml), so a misspelt or impossible var stops the invocation before any
  model is built, naming it:
  - a var given on the command line that dbt_project.yml does not declare (a misspelt
    `--vars '{bootstrap_replicate: 10}'` would otherwise be ignored) fails naming it and
    the nearest declared var (Levenshtein distance);
  - the vars with a fixed set of values (those checked nowhere else) must take one of
    them;
  - bootstrap_replicates must be a positive integer;
  - with NetMob traffic, tor_lag_hours and robustness_lag_hours must be among
    correction_lags (Table 7's lagged cpc would be NULL for every commune).
  The declared vars are read from dbt_project.yml by DuckDB (read_text); on Spark (stage
  2 of `make spark`, whose DuckDB stages check the same vars) only the values are checked.
  Returns no SQL.
-#}
{% macro check_vars() -%}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set problems = [] -%}

    {#- 1. vars given that the project does not declare -#}
    {%- set given = invocation_args_dict.get('vars') or {} -%}
    {%- if given is string -%}{%- set given = fromyaml(given) or {} -%}{%- endif -%}
    {%- set declared = declared_var_names() -%}
    {%- if declared -%}
        {%- for name in given.keys() | sort -%}
            {%- if name not in declared -%}
                {%- set nearest = run_query(
                    "select name from (select unnest(" ~ tojson(declared) | replace('"', "'")
                    ~ ") as name) order by levenshtein(name, '" ~ name | replace("'", "''")
                    ~ "'), name limit 1"
                ).rows[0][0] -%}
                {%- do problems.append(
                    "var '" ~ name ~ "' is not declared in dbt_project.yml (vars); did you mean '"
                    ~ nearest ~ "'?") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}

    {#- 2. vars with a fixed set of values -#}
    {%- set choices = {
        'invalid_geometries': ['fail', 'repair'],
        'netmob_empty_files': ['fail', 'warn'],
        'netmob_duplicated_days': ['fail', 'warn'],
        'netmob_missing_tile_rows': ['fail', 'warn'],
        'repair_commune_codes': [true, false],
        'rho_interval_method': ['ewc', 'day_bootstrap'],
        'outage_windows': [true, false],
        'poi_scaling': ['regression_sample', 'study_communes'],
    } -%}
    {%- for name, allowed in choices.items() -%}
        {%- if var(name) not in allowed -%}
            {%- do problems.append(
                "var " ~ name ~ " is " ~ tojson(var(name)) ~ "; expected one of " ~ tojson(allowed)) -%}
        {%- endif -%}
    {%- endfor -%}

    {#- 3. numbers -#}
    {%- set replicates = var('bootstrap_replicates') -%}
    {%- if replicates is not number or replicates != (replicates | int) or replicates < 1 -%}
        {%- do problems.append(
            "var bootstrap_replicates is " ~ tojson(replicates) ~ "; expected a positive integer") -%}
    {%- endif -%}

    {#- 4. lags the marts read must be computed -#}
    {%- if var('traffic_source') == 'netmob' -%}
        {%- set lags = list_var('correction_lags') | map('int') | list -%}
        {%- for name in ['tor_lag_hours', 'robustness_lag_hours'] -%}
            {%- if (var(name) | int) not in lags -%}
                {%- do problems.append(
                    "var " ~ name ~ " is " ~ tojson(var(name)) ~ " but var correction_lags is "
                    ~ tojson(lags) ~ "; expected one of the computed lags") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}

    {%- if problems -%}
        {{ exceptions.raise_compiler_error("vars: " ~ problems | join('; ')) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#-
  The names of the vars dbt_project.yml declares, read with DuckDB's read_text (an
  empty list on another engine: the caller then skips the check).
  Example: declared_var_names() -> ['raw_dir', 'netmob_cities', ...]
-#}
{% macro declared_var_names() -%}
    {{ return(adapter.dispatch('declared_var_names', 'cpc_tor')()) }}
{%- endmacro %}

{% macro default__declared_var_names() -%}
    {{ return([]) }}
{%- endmacro %}

{% macro duckdb__declared_var_names() -%}
    {%- set project = invocation_args_dict.get('project_dir') or '.' -%}
    {%- set text = run_query(
        "select content from read_text('" ~ (project ~ '/dbt_project.yml') | replace("'", "''") ~ "')"
    ).rows[0][0] -%}
    {{ return((fromyaml(text).get('vars') or {}).keys() | list) }}
{%- endmacro %}
