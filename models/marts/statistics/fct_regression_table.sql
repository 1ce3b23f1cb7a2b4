{#-
  One row per paper table, line and model column: the cells of
  fct_regression_table_wide in long form (kept for BI tools that filter on a column
  label). The model columns are unpivoted, not recomputed.
-#}

with

wide as (
    select * from {{ ref('fct_regression_table_wide') }}
),

long as (
    -- every model_<k>_label / model_<k> pair of the wide mart, in column order
    select
        paper_table,
        term,
        line_order,
        unnest(list_value(*columns('^model_[0-9]+_label$'))) as column_label,
        unnest(list_value(*columns('^model_[0-9]+$'))) as cell
    from wide
),

final as (
    select
        paper_table,
        term,
        line_order,
        column_label,
        cell
    from long
    where column_label is not null
)

select * from final
