{#-
  Search-query log (technical report's data): one record per query with time, client
  identifier and raw text; CSV with header timestamp,client_id,query, or Parquet with
  those columns. The client identifier is salted-hashed here and never stored in clear.
-#}

{%- set path = source_path('queries', 'query_log', 'query_log_path', quote=false) %}

with

source as (
    {%- if path.endswith('.parquet') %}
    select
        cast("timestamp" as varchar) as ts_text,
        cast(client_id as varchar) as client_id,
        cast(query as varchar) as query
    from read_parquet('{{ path }}')
    {%- else %}
        select
            "timestamp" as ts_text,
            client_id,
            query
        from read_csv(
            '{{ path }}', header = true, auto_detect = false, strict_mode = true, quote = '"',
            delim = ',', columns = { 'timestamp': 'VARCHAR', 'client_id': 'VARCHAR', 'query': 'VARCHAR' }
        )
    {%- endif %}
),

final as (
    select
        row_number() over () as record_number,
        coalesce(
            try_cast(ts_text as timestamp),
            error(
                '{{ path }}: record ' || (row_number() over ())::varchar
                || ': expected a timestamp, found "' || coalesce(ts_text, 'NULL') || '"'
            )
        ) as queried_at,
        sha256('{{ query_client_salt() }}' || coalesce(client_id, '')) as client_hash,
        client_id is null or trim(client_id) = '' as is_client_missing,
        coalesce(query, '') as query_raw
    from source
)

select * from final
