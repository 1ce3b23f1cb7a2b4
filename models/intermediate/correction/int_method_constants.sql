{#-
  The method's constants (seed method_constants) as one row, with the derived shares:
  cp_share_of_porn = 105/253 (DUTA), porn_share_of_onion_pages = 2,267,628/5,437,248
  (DarkBERT), and the onion share of var('onion_share_bound').
-#}
{%- set bound = var('onion_share_bound') %}
{%- if bound not in onion_share_bound_names() %}
    {{ exceptions.raise_compiler_error("var onion_share_bound must be one of " ~ onion_share_bound_names() | join(', ') ~ ", got '" ~ bound ~ "'") }}
{%- endif %}

with

constants as (
    select
        constant_name,
        value
    from {{ ref('method_constants') }}
),

wide as (
    pivot constants on constant_name using first(value)
),

final as (
    select
        onion_share_lower,
        onion_share_middle,
        onion_share_upper,
        onion_share_{{ bound }} as onion_share,
        '{{ bound }}' as onion_share_bound,
        duta_cp_sites / duta_porn_sites as cp_share_of_porn,
        onion_pages_porn / onion_pages_total as porn_share_of_onion_pages,
        c_floor,
        log_floor
    from wide
)

select * from final
