{#-
  One row per query-log record: the query normalised as in the report's dataset
  (docs/method.md section 11: ASCII letters lower-cased and digits kept, non-ASCII letters
  deleted, any other character a separator, words joined by one space), the number of
  words and whether nothing is left (empty queries are dropped downstream, and
  counted). The normalisation is analysis_py.stats.keywords.sql_normalise, also used by the
  tests against the Python reference.
-#}

with

records as (
    select
        record_number,
        queried_at,
        client_hash,
        query_raw
    from {{ ref('stg_queries__query_log') }}
),

normalised as (
    select
        record_number,
        queried_at,
        client_hash,
        {{ sql_normalise('query_raw') }} as query
    from records
),

final as (
    select
        record_number,
        queried_at,
        client_hash,
        query,
        case when query = '' then 0 else length(query) - length(replace(query, ' ', '')) + 1 end
            as n_words,
        query = '' as is_empty
    from normalised
)

select * from final
