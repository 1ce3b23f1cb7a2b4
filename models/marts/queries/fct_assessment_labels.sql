{#-
  One row per sampled query and set: the kept experts' answers (technical report,
  section 6) as fractions q++ (paedophile), q+ (paedophile or probably), q- (not or
  probably not), q-- (not), and the label: paedophile iff q+ - q- > var label_margin
  (0.1). Queries no kept expert answered have no label.
-#}

with

sample as (
    select
        sample_set,
        query,
        rule_code,
        is_flagged
    from {{ ref('fct_assessment_sample') }}
),

kept_votes as (
    select
        votes.query,
        answers.polarity,
        answers.strength
    from {{ ref('stg_assessment__expert_votes') }} as votes
    inner join {{ ref('expert_answers') }} as answers on votes.answer = answers.answer
    inner join {{ ref('fct_expert_reliability') }} as experts
        on votes.expert = experts.expert
    where experts.is_kept
),

fractions as (
    select
        query,
        count(*) as n_answers,
        count(*) filter (where polarity > 0 and strength = 2) / count(*) as q_plus_plus,
        count(*) filter (where polarity > 0) / count(*) as q_plus,
        count(*) filter (where polarity < 0) / count(*) as q_minus,
        count(*) filter (where polarity < 0 and strength = 2) / count(*) as q_minus_minus
    from kept_votes
    group by query
),

final as (
    select
        sample.sample_set,
        sample.query,
        sample.rule_code,
        sample.is_flagged,
        coalesce(fractions.n_answers, 0) as n_answers,
        fractions.q_plus_plus,
        fractions.q_plus,
        fractions.q_minus,
        fractions.q_minus_minus,
        case
            when fractions.n_answers is null then null
            when fractions.q_plus - fractions.q_minus > {{ var('label_margin') }} then 'paedophile'
            else 'not_paedophile'
        end as label  -- noqa: RF04
    from sample
    left outer join fractions on sample.query = fractions.query
)

select * from final
