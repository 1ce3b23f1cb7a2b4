{#-
  One row per non-empty query-log record with its backward and forward neighbours
  (technical report, section 4): the previous / next query of the same client (hashed
  identifier) within var query_neighbour_window_hours (2 hours), ties in time broken by
  record order.
-#}

with

records as (
    select
        record_number,
        queried_at,
        client_hash,
        query
    from {{ ref('int_queries_normalised') }}
    where not is_empty
),

ordered as (
    select
        *,
        lag(query) over by_client as previous_query,
        lag(queried_at) over by_client as previous_at,
        lead(query) over by_client as next_query,
        lead(queried_at) over by_client as next_at
    from records
    window by_client as (partition by client_hash order by queried_at, record_number)
),

final as (
    select
        record_number,
        queried_at,
        client_hash,
        query,
        case
            when queried_at - previous_at <= to_hours({{ var('query_neighbour_window_hours') }})
                then previous_query
        end as backward_neighbour,
        case
            when next_at - queried_at <= to_hours({{ var('query_neighbour_window_hours') }})
                then next_query
        end as forward_neighbour
    from ordered
)

select * from final
