"""Reusable widgets of the wizard: fields that keep raw input, the drug picker, a flow layout."""
