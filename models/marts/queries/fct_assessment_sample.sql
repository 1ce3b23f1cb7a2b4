{#-
  One row per sampled query and set: the seeded samples the experts assess (technical
  report, section 5), up to var assessment_sample_size (1000) queries from each of
  F- (queries the filter does not flag), F+>1 (flagged queries of more than one word)
  and N(F+) (backward and forward neighbours of flagged queries), ordered by a hash of
  var assessment_seed, the set and the query. Each query is shown with the backward
  and forward neighbours of its first occurrence, as the experts saw them.
-#}

with

classified as (
    select
        query,
        rule_code,
        n_words
    from {{ ref('fct_query_classifications') }}
),

neighbours as (
    select
        record_number,
        query,
        backward_neighbour,
        forward_neighbour
    from {{ ref('int_query_neighbours') }}
),

flagged_neighbours as (
    select neighbours.backward_neighbour as query
    from neighbours
    inner join classified on neighbours.query = classified.query
    where classified.rule_code is not null and neighbours.backward_neighbour is not null
    union
    select neighbours.forward_neighbour as query
    from neighbours
    inner join classified on neighbours.query = classified.query
    where classified.rule_code is not null and neighbours.forward_neighbour is not null
),

candidates as (
    select
        'F-' as sample_set,
        query
    from classified
    where rule_code is null
    union all
    select
        'F+>1' as sample_set,
        query
    from classified
    where rule_code is not null and n_words > 1
    union all
    select
        'N(F+)' as sample_set,
        query
    from flagged_neighbours
),

ranked as (
    select
        sample_set,
        query,
        row_number() over (
            partition by sample_set
            order by sha256('{{ var("assessment_seed") }}' || '|' || sample_set || '|' || query), query
        ) as sample_rank,
        count(*) over (partition by sample_set) as set_size
    from candidates
),

first_occurrences as (
    select
        query,
        arg_min(backward_neighbour, record_number) as backward_neighbour,
        arg_min(forward_neighbour, record_number) as forward_neighbour
    from neighbours
    group by query
),

final as (
    select
        ranked.sample_set,
        ranked.sample_rank,
        ranked.set_size,
        ranked.query,
        classified.rule_code,
        classified.rule_code is not null as is_flagged,
        first_occurrences.backward_neighbour,
        first_occurrences.forward_neighbour
    from ranked
    left outer join classified on ranked.query = classified.query
    left outer join first_occurrences on ranked.query = first_occurrences.query
    where ranked.sample_rank <= {{ var('assessment_sample_size') }}
)

select * from final
