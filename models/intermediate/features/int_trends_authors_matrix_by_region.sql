{#-
  Authors' matrix variant of int_trends_interest_by_region (var
  trends_authors_matrix_path): one row per pre-2016 region
  of the authors' matrix (all 22, Corsica included, as they ran it; var
  trends_excluded_regions does not apply) and term of the seed trends_authors_terms,
  with the region code of the seed ref_trends_regions (English or French name).
-#}

with

matrix as (
    select
        source_file,
        region_name,
        search_term,
        interest
    from {{ ref('stg_trends__authors_matrix') }}
),

regions as (
    {{ trends_regions_keyed() }}
),

final as (
    select
        {{ trends_region_code('matrix.region_name', 'matrix.source_file') }} as region_code,
        matrix.search_term,
        cast(matrix.interest as double) as interest,
        false as is_too_little_data,
        false as is_below_one,
        matrix.source_file
    from matrix
    left outer join regions
        on {{ trends_region_join('matrix.region_name') }}
)

select * from final
