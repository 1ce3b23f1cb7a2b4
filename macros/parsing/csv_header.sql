{#-
  The column names in the first line of a delimited text file, read at compile time
  (a UTF-8 byte-order mark is dropped). Used to recognise a file's layout or edition
  before reading it, and to refuse unknown layouts by name (a name in double quotes is
  read without them; a delimiter inside quotes is not expected in a header).
  Example: csv_header('/data/x.csv', ';') -> ['CODGEO_2023', 'annee', ...]
-#}
{% macro csv_header(path, delim, skip=0) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set sql -%}
        select line from read_csv(
            '{{ path | replace("'", "''") }}', header = false, auto_detect = false,
            columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '',
            skip = {{ skip }}, strict_mode = false
        ) limit 1
    {%- endset -%}
    {%- set result = run_query(sql) -%}
    {%- if result | length == 0 -%}
        {{ exceptions.raise_compiler_error(path ~ ": file is empty, expected a header line") }}
    {%- endif -%}
    {%- set line = result.rows[0][0] | replace('\ufeff', '') -%}
    {%- set names = [] -%}
    {%- for name in line.split(delim) -%}
        {#- a name in double quotes (a quoting writer) is read without them -#}
        {%- do names.append(name[1:-1] if (name | length) > 1 and name[0] == '"' and name[-1] == '"' else name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}
