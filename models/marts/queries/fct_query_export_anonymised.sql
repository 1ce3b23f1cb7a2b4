{#-
  One row per distinct normalised query, anonymised as the report's dataset (section
  2): words found in fewer than var anonymise_min_queries (100) distinct queries are
  replaced by integers (ranked by a salted hash, so the integer says nothing about the
  word), and queries left with anonymised words only are dropped. With the filter's
  rule code, computed on the clear query before anonymisation.
-#}

with

queries as (
    select
        query,
        rule_code,
        n_occurrences
    from {{ ref('fct_query_classifications') }}
),

words as (
    select
        query,
        unnest(string_split(query, ' ')) as word,
        generate_subscripts(string_split(query, ' '), 1) as word_position
    from queries
),

word_frequencies as (
    select
        word,
        count(distinct query) as n_queries
    from words
    group by word
),

rare_words as (
    select
        word,
        dense_rank() over (order by sha256('{{ query_client_salt() }}' || '|' || word)) as word_number
    from word_frequencies
    where n_queries < {{ var('anonymise_min_queries') }}
),

rebuilt as (
    select
        words.query,
        string_agg(
            coalesce(cast(rare_words.word_number as varchar), words.word), ' '
            order by words.word_position
        ) as query_anonymised,
        bool_and(rare_words.word is not null) as only_rare_words
    from words
    left outer join rare_words on words.word = rare_words.word
    group by words.query
),

final as (
    select
        rebuilt.query_anonymised,
        queries.rule_code,
        queries.n_occurrences
    from rebuilt
    inner join queries on rebuilt.query = queries.query
    where not rebuilt.only_rare_words
)

select * from final
