{#-
  Expert answers of the filter assessment (technical report, section 5): CSV with
  header query,expert,answer (checked against seed ref_raw_file_headers, columns read
  by name); one row per expert and assessed query (normalised form). Answers are those
  of the seed expert_answers (paedophile, probably, don't know, probably not, not);
  anything else stops the build naming the file, the line, the expert, the query and
  the answers accepted.
-#}
{%- set path = source_path('assessment', 'expert_votes', 'expert_votes_path', quote=false) %}
{%- set header = csv_header(path, ',') %}
{%- set contract = check_header('assessment_expert_votes', path, header) %}

with

source as (
    {{ read_csv_by_name(path, header, ',') }}
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
                source.source_file || ':' || source.source_line || ': expert ' || coalesce(source.expert, 'NULL')
                || ', query "' || coalesce(source.query, '') || '": answer must be one of '
                || accepted_list.answers || ', found "' || coalesce(source.answer, 'NULL') || '"'
            )
        end as answer,
        source.source_file,
        source.source_line
    from source
    left outer join accepted on source.answer = accepted.answer
    cross join accepted_list
)

select * from final
