{#-
  Expert answers of the filter assessment (technical report, section 5): CSV with
  header query,expert,answer; one row per expert and assessed query (normalised form).
  Answers are those of the seed expert_answers (paedophile, probably, don't know,
  probably not, not); anything else stops the build naming the file, the expert, the
  query and the answers accepted.
-#}
{%- set path = source_path('assessment', 'expert_votes', 'expert_votes_path', quote=false) %}

with

source as (
    select *
    from read_csv(
        '{{ path }}', header = true, auto_detect = false, strict_mode = true, quote = '"',
        delim = ',', columns = { 'query': 'VARCHAR', 'expert': 'VARCHAR', 'answer': 'VARCHAR' }
    )
),

accepted as (
    select answer from {{ ref('expert_answers') }}
),

accepted_list as (
    select string_agg(answer, ', ' order by position) as answers
    from {{ ref('expert_answers') }}
),

final as (
    select
        source.query,
        source.expert,
        case
            when accepted.answer is not null then source.answer
            else error(
                '{{ path }}: expert ' || coalesce(source.expert, 'NULL') || ', query "'
                || coalesce(source.query, '') || '": answer must be one of '
                || accepted_list.answers || ', found "'
                || coalesce(source.answer, 'NULL') || '"'
            )
        end as answer
    from source
    left outer join accepted on source.answer = accepted.answer
    cross join accepted_list
)

select * from final
