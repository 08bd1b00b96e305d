from kb.text.slugs import title_slug


def test_dashes_between_words_stay_hyphens():
    assert title_slug("Turkey–Hamas relations") == "turkey-hamas-relations"
    assert title_slug("Iran — Hamas: a history") == "iran-hamas-a-history"
    assert title_slug("Plain title") == "plain-title"
