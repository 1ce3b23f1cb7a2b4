{#-
  The header contract of a raw file (seed ref_raw_file_headers): `header` is the list
  of column names the file carries (macros csv_header, file_columns). The edition of
  `source` whose required columns are all there, and which lists every column found (or
  admits others with a `*` row), is the file's; none such stops the build with an error
  naming the file, the columns missing and the columns not expected, against the
  closest edition. Returns {'edition': name, 'columns': {role or name: column found}}
  so that the model reads every column by its name, never by its position.
  While parsing (and before the seed is built, e.g. a lint) nothing is checked.
  Example:
    {%- set contract = check_header('ssmsi_communal_crime', path, csv_header(path, ';')) %}
    select "{{ contract.columns.code_com }}" as code_com ...
-#}
{% macro check_header(source, path, header) -%}
    {%- set seed = ref('ref_raw_file_headers') -%}
    {%- if not execute -%}{{ return({'edition': none, 'columns': {}}) }}{%- endif -%}
    {%- set relation = load_relation(seed) -%}
    {%- if relation is none -%}{{ return({'edition': none, 'columns': {}}) }}{%- endif -%}
    {%- set rows = run_query(
        "select edition, column_name, column_role, is_required from " ~ relation
        ~ " where source = '" ~ source ~ "' order by edition, position"
    ).rows -%}
    {%- if rows | length == 0 -%}
        {{ exceptions.raise_compiler_error("seed ref_raw_file_headers has no header of source '" ~ source ~ "'") }}
    {%- endif -%}
    {%- set editions = {} -%}
    {%- for edition, name, role, required in rows -%}
        {%- if edition not in editions -%}
            {%- do editions.update({edition: {'required': [], 'optional': [], 'others': false, 'roles': {}}}) -%}
        {%- endif -%}
        {%- if name == '*' -%}
            {%- do editions[edition].update({'others': true}) -%}
        {%- else -%}
            {%- do editions[edition]['required' if required else 'optional'].append(name) -%}
            {%- do editions[edition]['roles'].update({(role or name): name}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set best = namespace(edition=none, problems=none, missing=[], unexpected=[]) -%}
    {%- for edition, spec in editions.items() -%}
        {%- set missing = spec.required | reject('in', header) | list -%}
        {%- set unexpected = [] if spec.others else (header | reject('in', spec.required + spec.optional) | list) -%}
        {%- set problems = (missing | length) + (unexpected | length) -%}
        {%- if problems == 0 -%}
            {%- set columns = {} -%}
            {%- for role, name in spec.roles.items() -%}
                {%- if name in header -%}{%- do columns.update({role: name}) -%}{%- endif -%}
            {%- endfor -%}
            {{ return({'edition': edition, 'columns': columns}) }}
        {%- endif -%}
        {%- if best.problems is none or problems < best.problems -%}
            {%- set best.edition = edition -%}
            {%- set best.problems = problems -%}
            {%- set best.missing = missing -%}
            {%- set best.unexpected = unexpected -%}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        path ~ ": the header is not the " ~ source ~ " layout the project reads;"
        ~ " missing columns: " ~ names_text(best.missing) ~ "; unexpected columns: " ~ names_text(best.unexpected)
        ~ " (against edition " ~ best.edition ~ " of seed ref_raw_file_headers; editions known: "
        ~ (editions.keys() | list | join(', ')) ~ "; found: " ~ names_text(header) ~ ")"
    ) }}
{%- endmacro %}

{#-
  The column names of a file as a reader sees them, read when the model is compiled
  (`reader`: a DuckDB table function call, e.g. "read_xlsx('/x.xlsx', sheet = 'Data')").
  Example: file_columns("st_read('/raw/admin/COMMUNE.shp')") -> ['INSEE_COM', ..., 'geom']
-#}
{% macro file_columns(reader) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set described = run_query("describe select * from " ~ reader) -%}
    {{ return(described.columns[0].values() | list) }}
{%- endmacro %}

{#-
  A CSV read by the names of its header: read_csv with `columns` made from the header
  the file carries, in its order, all as text, so that the model then selects each
  column by name (a column moved in the file moves with its name). Keeps the file's
  path and each record's line (header lines counted) as source_file and source_line.
  A column without a name (a pandas index) is read as `column<i>` (0-based position),
  DuckDB's own name for it.
  Example: {{ read_csv_by_name('/raw/x.csv', header, ';') }}
-#}
{% macro read_csv_by_name(path, header, delim, skip=0, quote='"') -%}
    select
        *,
        '{{ path | replace("'", "''") }}' as source_file,
        row_number() over () + {{ skip + 1 }} as source_line
    from read_csv(
        '{{ path | replace("'", "''") }}',
        delim = '{{ delim }}',
        header = true,
        skip = {{ skip }},
        auto_detect = false,
        strict_mode = true,
        quote = '{{ quote }}',
        columns = {
            {%- for name in (header if header else ['__unread__']) %}
                '{{ (name or 'column' ~ loop.index0) | replace("'", "''") }}': 'VARCHAR'{{ "," if not loop.last }}
            {%- endfor %}
        }
    )
{%- endmacro %}
