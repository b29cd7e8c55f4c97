"""Filter values a user types: refused with the field named, never half-applied."""

import pytest

from geodata.events.filters import MAX_SEARCH_LENGTH, EventFilter, FilterError


@pytest.mark.parametrize("code", ["中文", "ÅÄ", "U1", "UKR", ""])
def test_a_country_filter_is_two_ascii_letters(code):
    with pytest.raises(FilterError, match="country"):
        EventFilter.build(countries=[code] if code else ["-"])


def test_search_text_has_one_limit():
    EventFilter.build(text="k" * MAX_SEARCH_LENGTH)
    with pytest.raises(FilterError, match=f"at most {MAX_SEARCH_LENGTH}"):
        EventFilter.build(text="k" * (MAX_SEARCH_LENGTH + 1))
