{#-
  The pre-2016 regions of the seed ref_trends_regions with a matching key for their
  English and French names (macro normalised_key), as a select for a `regions` CTE,
  and the region code of a name matched against it, stopping the build with the file
  and the name when no region matches. Used by both Trends inputs (geoMap exports, the
  authors' matrix).
  Example:
    regions as ({{ trends_regions_keyed() }}),
    ... {{ trends_region_code('exports.region_name', 'exports.source_file') }} as region_code
    ... left outer join regions on {{ trends_region_join('exports.region_name') }}
-#}
{% macro trends_regions_keyed() -%}
    select
        region_code,
        {{ normalised_key('name_en') }} as key_en,
        {{ normalised_key('name_fr') }} as key_fr
    from {{ ref('ref_trends_regions') }}
{%- endmacro %}

{% macro trends_region_join(name) -%}
    {{ normalised_key(name) }} in (regions.key_en, regions.key_fr)
{%- endmacro %}

{% macro trends_region_code(name, file) -%}
    coalesce(
        regions.region_code,
        {{ cpc_error(
            file ~ " || ': region \"' || " ~ name
            ~ " || '\" matches no region of the seed ref_trends_regions (English or French name)'"
        ) }}
    )
{%- endmacro %}
