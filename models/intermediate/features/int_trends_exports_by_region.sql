{#-
  Exports variant of int_trends_interest_by_region: one row per pre-2016 region (Corsica
  and any region of var trends_excluded_regions
  left out) and search term of the seed trends_terms: Google Trends' relative interest,
  with blank cells (too little data) as 0, as in the authors' data, and `<1` as var
  trends_below_one_value. Region names are matched in English or French on a
  normalised key (case, accents, punctuation); an unknown region name stops the build
  with its name. Seed terms absent from every export have no rows here and are reported
  (with the terms dropped for having no data) by fct_trends_pca.
-#}

with

exports as (
    select
        source_file,
        region_name,
        search_term,
        interest,
        is_too_little_data,
        is_below_one
    from {{ ref('stg_trends__interest_by_region') }}
),

regions as (
    {{ trends_regions_keyed() }}
),

terms as (
    select search_term from {{ ref('trends_terms') }}
),

matched as (
    select
        exports.*,
        {{ trends_region_code('exports.region_name', 'exports.source_file') }} as region_code
    from exports
    left outer join regions
        on {{ trends_region_join('exports.region_name') }}
),

final as (
    select
        matched.region_code,
        matched.search_term,
        case
            when matched.is_below_one then {{ var('trends_below_one_value') }}
            when matched.is_too_little_data then 0.0
            else cast(matched.interest as double)
        end as interest,
        matched.is_too_little_data,
        matched.is_below_one,
        matched.source_file
    from matched
    inner join terms on matched.search_term = terms.search_term
    where matched.region_code not in ({{ "'" ~ var('trends_excluded_regions') | join("', '") ~ "'" }})
)

select * from final
