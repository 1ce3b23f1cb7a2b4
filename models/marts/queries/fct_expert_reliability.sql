{#-
  One row per expert: answers given on the sampled queries, by kind, the expert's
  relevance (technical report, section 5: the share of the sampled F+>1 queries holding
  an explicit keyword that the expert tagged paedophile or probably) and whether the
  expert is kept (at least var expert_min_answers answers).
-#}

{%- set answer_keys = seed_values('expert_answers', 'answer_key', 'position') %}

with

votes as (
    select
        votes.query,
        votes.expert,
        votes.answer,
        answers.answer_key,
        answers.polarity
    from {{ ref('stg_assessment__expert_votes') }} as votes
    inner join {{ ref('expert_answers') }} as answers on votes.answer = answers.answer
),

sampled as (
    select distinct
        sample_set,
        query
    from {{ ref('fct_assessment_sample') }}
),

explicit_words as (
    select list(keyword order by position) as words
    from {{ ref('keyword_lists') }}
    where list_name = 'explicit'
),

explicit_queries as (
    select sampled.query
    from sampled
    cross join explicit_words
    where
        sampled.sample_set = 'F+>1'
        and list_has_any(string_split(sampled.query, ' '), explicit_words.words)
),

answered as (
    select votes.*
    from votes
    where votes.query in (select sampled.query from sampled)
),

final as (
    select
        answered.expert,
        count(*) as n_answers,
        {%- for key in answer_keys %}
            count(*) filter (where answered.answer_key = '{{ key }}') as n_{{ key }},
        {%- endfor %}
        count(*) filter (where answered.query in (select explicit_queries.query from explicit_queries))
            as n_explicit_answers,
        count(*) filter (
            where
            answered.query in (select explicit_queries.query from explicit_queries)
            and answered.polarity > 0
        )
        / nullif(
            count(*) filter (where answered.query in (select explicit_queries.query from explicit_queries)), 0
        ) as relevance,
        count(*) >= {{ var('expert_min_answers') }} as is_kept
    from answered
    group by answered.expert
)

select * from final
