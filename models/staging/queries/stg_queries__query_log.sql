{#-
  Search-query log (technical report's data): one record per query with time, client
  identifier and raw text; CSV with header timestamp,client_id,query, or Parquet with
  those columns. The header (the Parquet schema) is checked against seed
  ref_raw_file_headers and every column read by its name: columns in another order
  are read right, a file without its header is refused naming the columns missing.
  The client identifier is salted-hashed here and never stored in clear.
-#}

{%- set path = source_path('queries', 'query_log', 'query_log_path', quote=false) %}
{%- set is_parquet = path.endswith('.parquet') %}
{%- set reader = "read_parquet('" ~ path ~ "')" %}
{%- set header = file_columns(reader) if is_parquet else csv_header(path, ',') %}
{%- set contract = check_header('queries_query_log', path, header) %}

with

source as (
    {%- if is_parquet %}
        select
            cast("timestamp" as varchar) as ts_text,
            cast(client_id as varchar) as client_id,
            cast(query as varchar) as query,
            '{{ path }}' as source_file,
            row_number() over () as source_line
        from {{ reader }}
    {%- else %}
        select
            "timestamp" as ts_text,
            client_id,
            query,
            source_file,
            source_line
        from ({{ read_csv_by_name(path, header, ',') }}) as by_name
    {%- endif %}
),

final as (
    select
        row_number() over () as record_number,
        coalesce(
            try_cast(ts_text as timestamp),
            error(
                source_file || ':' || source_line || ': expected a timestamp, found "'
                || coalesce(ts_text, 'NULL') || '"'
            )
        ) as queried_at,
        sha256('{{ query_client_salt() }}' || coalesce(client_id, '')) as client_hash,
        client_id is null or trim(client_id) = '' as is_client_missing,
        coalesce(query, '') as query_raw,
        source_file,
        source_line
    from source
)

select * from final
