{#-
  Expert answers of the filter assessment (technical report, section 5): CSV with
  header query,expert,answer; one row per expert and assessed query (normalised form).
  Answers are paedophile, probably, don't know, probably not or not; anything else
  stops the build naming the expert and the query.
-#}
{%- set path = raw_path('expert_votes_path', quote=false) %}

with

source as (
    select *
    from read_csv(
        '{{ path }}', header = true, auto_detect = false, strict_mode = true, quote = '"',
        delim = ',', columns = { 'query': 'VARCHAR', 'expert': 'VARCHAR', 'answer': 'VARCHAR' }
    )
),

final as (
    select
        query,
        expert,
        case
            when answer in ('paedophile', 'probably', 'don''t know', 'probably not', 'not') then answer
            else error(
                '{{ path }}: expert ' || coalesce(expert, 'NULL') || ', query "' || coalesce(query, '')
                || '": answer must be paedophile, probably, don''t know, probably not or not, found "'
                || coalesce(answer, 'NULL') || '"'
            )
        end as answer
    from source
)

select * from final
