"""attributions.engine: lexicon, rules, the sample article, the prediction format (no Django)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from articles.text import normalise
from attributions.engine import (
    Lexicon,
    Mention,
    StatementResult,
    Suggestion,
    extract,
    load_registry,
    normalise_alias,
    to_prediction,
)

SAMPLE = Path(__file__).resolve().parents[2] / "articles" / "fixtures" / "raqqa-coalition.txt"
KINDS = {
    "news_agency",
    "broadcaster",
    "newspaper",
    "ngo",
    "igo",
    "government",
    "military",
    "party",
    "person",
    "unnamed",
    "other",
}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.from_registry()


@pytest.fixture(scope="module")
def sample(lexicon):
    text = normalise(SAMPLE.read_text(encoding="utf-8"))
    return text, extract(text, lexicon)


def find(text: str, results: list[StatementResult], fragment: str) -> StatementResult:
    hits = [r for r in results if fragment in text[r.start : r.end]]
    assert len(hits) == 1, fragment
    return hits[0]


def attribute(text: str, fragment: str | None = None, lexicon: Lexicon | None = None) -> Suggestion | None:
    """The suggestion for the statement containing ``fragment`` (default: the first one)."""
    full = "Headline\n\n" + text
    results = extract(full, lexicon or Lexicon.from_registry())
    if fragment is None:
        return results[0].suggestion
    return find(full, results, fragment).suggestion


# --------------------------------------------------------------------------- registry


def test_registry_shape():
    registry = load_registry()
    assert 50 <= len(registry) <= 90
    slugs = {e["slug"] for e in registry}
    assert len(slugs) == len(registry)
    keys = {
        "name",
        "slug",
        "kind",
        "country",
        "state_affiliated",
        "parent",
        "description",
        "homepage",
        "wikidata",
        "aliases",
    }
    for entry in registry:
        assert set(entry) == keys
        assert entry["kind"] in KINDS and entry["kind"] != "unnamed"
        assert entry["country"] == "" or (len(entry["country"]) == 2 and entry["country"].isupper())
        assert entry["parent"] is None or entry["parent"] in slugs
        assert entry["wikidata"] == "" or entry["wikidata"].startswith("Q")
        assert isinstance(entry["state_affiliated"], bool) and entry["aliases"]
    by_slug = {e["slug"]: e for e in registry}
    assert by_slug["syrian-mfa"]["parent"] == "government-of-syria"
    assert by_slug["donald-trump"]["kind"] == "person"
    for slug in ("amnesty-international", "tass", "press-tv", "united-nations", "reuters", "bbc", "centcom"):
        assert slug in by_slug


# --------------------------------------------------------------------------- lexicon


def test_normalise_alias():
    assert normalise_alias("The U.S. State Department") == "us state department"
    assert normalise_alias("Syria’s  foreign—ministry!") == "syrias foreign ministry"
    assert normalise_alias("US-led coalition") == "us-led coalition"
    assert normalise_alias("“Press TV”") == "press tv"


@pytest.mark.parametrize(
    ("mention", "key"),
    [
        ("the Syrian foreign ministry", "syrian-mfa"),
        ("The Syrian Foreign Ministry", "syrian-mfa"),
        ("Tass, a Russian News Agency", "tass"),
        ("ITAR-TASS", "tass"),
        ("PressTV", "press-tv"),
        ("a report by Amnesty International", "amnesty-international"),
        ("Amnesty International's report", "amnesty-international"),
        ("The US President Donald Trump", "donald-trump"),
        ("longtime adviser Donald J. Trump", "donald-trump"),
        ("a spokesman for the State Department", "us-state-department"),
    ],
)
def test_lexicon_resolve_is_tolerant(lexicon, mention, key):
    assert lexicon.resolve(mention)[0] == key


@pytest.mark.parametrize("mention", ["Bill Clinton", "the ministry", "a source", "Jane Doe", ""])
def test_lexicon_does_not_guess(lexicon, mention):
    assert lexicon.resolve(mention) is None


def test_lexicon_from_pairs_and_ambiguity():
    lex = Lexicon.from_pairs(
        [
            ("Acme Corp", "acme", "Acme"),
            ("the company", "acme", "Acme"),
            ("ACME", "x", "X"),
            ("acme", "y", "Y"),
        ]
    )
    assert lex.resolve("ACME CORP") == ("acme", "Acme")
    assert lex.resolve("Acme") is None  # two sources claim it


# --------------------------------------------------------------------------- the sample article


def test_sample_experts_say_is_unnamed(sample):
    text, results = sample
    sug = find(text, results, "Experts say").suggestion
    assert sug.source.kind == "unnamed" and sug.source.key is None
    assert sug.source.name == "Experts" and sug.source.proposed_kind == "experts"
    assert sug.via is None


def test_sample_report_by_amnesty(sample):
    text, results = sample
    sug = find(text, results, "According to a report by Amnesty").suggestion
    assert sug.source.key == "amnesty-international" and sug.source.name == "Amnesty International"
    assert sug.rule == "according-to" and sug.via is None


def test_sample_tass_with_apposition(sample):
    text, results = sample
    sug = find(text, results, "Tass, a Russian News Agency highlighted").suggestion
    assert sug.source.key == "tass"
    assert sug.source.text == "Tass, a Russian News Agency" == text[sug.source.start : sug.source.end]
    assert sug.cue == "highlighted"


def test_sample_the_report_says_carries_tass(sample):
    text, results = sample
    sug = find(text, results, "The report says").suggestion
    assert sug.source.key == "tass" and sug.source.kind == "carried"
    assert text[sug.source.start : sug.source.end] == "The report"


def test_sample_presstv_nested(sample):
    text, results = sample
    sug = find(text, results, "According to PressTV").suggestion
    assert sug.source.key == "syrian-mfa"
    assert sug.via is not None and sug.via.key == "press-tv"
    assert text[sug.via.start : sug.via.end] == "PressTV"
    assert sug.cue == "stated" and sug.rule == "nested"


def test_sample_bare_quote_carries_the_ministry(sample):
    text, results = sample
    sug = find(text, results, "This once again exposed").suggestion
    assert sug is None or sug.source.key == "syrian-mfa"


def test_sample_the_letters_stated(sample):
    text, results = sample
    sug = find(text, results, "The letters stated").suggestion
    assert sug.source.key == "syrian-mfa" and sug.source.kind == "carried"
    assert text[sug.source.start : sug.source.end] == "The letters"


def test_sample_syrian_foreign_ministry(sample):
    text, results = sample
    sug = find(text, results, "The Syrian foreign ministry highlighted").suggestion
    assert sug.source.key == "syrian-mfa" and sug.source.text == "The Syrian foreign ministry"


def test_sample_syrian_government_demanded(sample):
    text, results = sample
    sug = find(text, results, "the Syrian government demanded").suggestion
    assert sug.source.key == "government-of-syria" and sug.via is None


def test_sample_trump_declared_and_said(sample):
    text, results = sample
    for fragment in ("Donald Trump declared", "Trump said that IS"):
        sug = find(text, results, fragment).suggestion
        assert sug.source.key == "donald-trump" and sug.source.name == "Donald Trump"


@pytest.mark.parametrize(
    "fragment",
    [
        "The withdrawal of the US army",
        "The coalition’s carpet bombing",
        "This potentially amounts to war crimes.",
        "And the focus will most definitely",
    ],
)
def test_sample_unattributed_sentences(sample, fragment):
    text, results = sample
    assert find(text, results, fragment).suggestion is None


def test_sample_statements_cover_the_text_and_slice_back(sample):
    text, results = sample
    assert not any(text[r.start : r.end].startswith("Attention to Military") for r in results)  # the title
    assert [r.ordinal for r in results] == list(range(len(results)))
    assert len(results) == 15
    for r in results:
        piece = text[r.start : r.end]
        assert piece == piece.strip()
        if r.suggestion:
            for m in (r.suggestion.source, r.suggestion.via):
                if m is not None:
                    assert text[m.start : m.end] == m.text
            assert text[r.suggestion.cue_start : r.suggestion.cue_end] == r.suggestion.cue


# --------------------------------------------------------------------------- rules


def test_say_verb_pre_with_title_and_that():
    sug = attribute("Senator Maria Lopez said that the bill would pass next week.")
    assert sug.rule == "say-verb-pre" and sug.cue == "said"
    assert sug.source.text == "Senator Maria Lopez" and sug.source.name == "Maria Lopez"
    assert sug.source.kind == "named" and sug.source.key is None and sug.source.proposed_kind == "person"


@pytest.mark.parametrize(
    "cue",
    [
        "has said",
        "had said",
        "is saying",
        "stated",
        "noted",
        "warned",
        "insisted",
        "argued",
        "explained",
        "acknowledged",
        "tweeted",
        "wrote",
    ],
)
def test_say_verb_family_tenses(cue):
    sug = attribute(f"Ana Ruiz {cue} that the harbour would reopen in spring.")
    assert sug is not None and sug.source.text == "Ana Ruiz"
    assert sug.cue == cue.split()[-1]


def test_say_verb_post_inverted_after_quote():
    sug = attribute("“We are ready for the vote,” said the minister of finance.")
    assert sug.rule == "say-verb-post" and sug.source.text == "the minister of finance"


def test_say_verb_post_name_after_quote():
    sug = attribute("“The numbers do not add up,” Kofi Mensah said.")
    assert sug.rule == "say-verb-post" and sug.source.text == "Kofi Mensah"


def test_post_clause_with_apposition():
    sug = attribute("Talks will resume on Monday, said Jonas Berg, a spokesman for the ministry.")
    assert sug.source.text == "Jonas Berg, a spokesman for the ministry"
    assert sug.source.name == "Jonas Berg"


def test_unknown_speaker_with_apposition_before_the_cue():
    # the long frame is its own statement; the content clause carries the suggestion
    sug = attribute(
        "Jonas Berg, a spokesman for the ministry, said the talks had failed.", "talks had failed"
    )
    assert sug.source.text == "Jonas Berg, a spokesman for the ministry"
    assert sug.source.kind == "named" and sug.source.key is None and sug.source.proposed_kind == "person"


def test_added_with_a_noun_object_is_not_speech():
    assert attribute("The factory added two hundred jobs in the spring.") is None


def test_passive_is_not_the_subject_speaking():
    assert attribute("The mayor was told that the bridge was unsafe.") is None


def test_cue_inside_a_quote_is_ignored():
    assert attribute("The poster read “Nobody said it would be easy” in large letters.") is None


def test_according_to_at_the_end():
    sug = attribute("The dam cost four billion dollars, according to Reuters.")
    assert sug.rule == "according-to" and sug.source.key == "reuters"


def test_nested_according_to_gives_via():
    sug = attribute("According to the BBC, the Kremlin said the meeting was cancelled.")
    assert sug.source.key == "government-of-russia" and sug.via.key == "bbc"
    assert sug.rule == "nested"


def test_nested_news_agency_reported():
    sug = attribute("Xinhua reported that local officials said the flood had receded.")
    assert sug.via.key == "xinhua" and sug.source.kind == "unnamed"


@pytest.mark.parametrize(
    ("sentence", "descriptor"),
    [
        ("Analysts say the currency will fall further.", "analysts"),
        ("Western diplomats said the deal was close.", "western diplomats"),
        ("A source close to the ministry said the plan was dropped.", "a source close to the ministry"),
        ("Witnesses told reporters that the shelling lasted hours.", "witnesses"),
        ("A spokesman declined to comment, but officials said the convoy was delayed.", "officials"),
    ],
)
def test_unnamed_sources(sentence, descriptor):
    sug = attribute(sentence, "convoy was delayed" if descriptor == "officials" else sentence[:12])
    assert sug.source.kind == "unnamed" and sug.source.key is None
    assert sug.source.proposed_kind == descriptor
    assert sug.source.name == descriptor[0].upper() + descriptor[1:]
    assert sug.rule == "unnamed"


def test_pronoun_resolves_to_the_last_person():
    text = "Lena Park said the budget was balanced. She said the deficit was gone."
    sug = attribute(text, "She said")
    assert sug.source.kind == "pronoun" and sug.source.text == "She"
    assert sug.source.name == "Lena Park"


def test_pronoun_it_resolves_to_an_organisation():
    text = "Amnesty International said the trial was unfair. It said the judges were biased."
    sug = attribute(text, "It said")
    assert sug.source.kind == "pronoun" and sug.source.key == "amnesty-international"


def test_unresolved_pronoun_keeps_the_pronoun():
    sug = attribute("He said the shop would close.")
    assert sug.source.kind == "pronoun" and sug.source.key is None and sug.source.name == "He"


def test_carry_over_for_a_continued_quote():
    text = "“The war is over,” Omar Haddad said. “We can go home now. The roads are open.”"
    sug = attribute(text, "We can go home")
    assert sug.rule == "carry-over" and sug.source.name == "Omar Haddad"


def test_anaphor_the_ministry_added():
    text = (
        "The Syrian foreign ministry said the strikes killed civilians. "
        "The ministry added that it had written to the UN."
    )
    sug = attribute(text, "The ministry added")
    assert sug.rule == "anaphor" and sug.source.key == "syrian-mfa" and sug.source.text == "The ministry"


def test_colon_quote_carries_to_the_next_statement():
    text = "Ina Vogel told the crowd:\n\n“We will not give up this fight.”"
    sug = attribute(text, "We will not give up")
    assert sug.rule == "colon-quote" and sug.source.name == "Ina Vogel"


def test_belief_cue_is_low_confidence():
    sug = attribute("Carlos Mendes believes the election was rigged.")
    assert sug.rule == "belief-cue" and sug.confidence < 0.7


def test_two_attributed_clauses_are_two_statements():
    full = "Headline\n\nPaula Reyes said the plan would work, while Tom Hardy said it would fail badly."
    results = extract(full, Lexicon.from_registry())
    assert len(results) == 2
    assert [r.suggestion.source.name for r in results] == ["Paula Reyes", "Tom Hardy"]
    assert full[results[0].start : results[0].end] == "Paula Reyes said the plan would work,"
    assert full[results[1].start : results[1].end].startswith("while Tom Hardy")


def test_participle_clause_is_split_off():
    full = "Headline\n\nIvan Petrov said the port was closed, adding that ships would wait offshore."
    results = extract(full, Lexicon.from_registry())
    assert [r.suggestion.rule for r in results] == ["say-verb-pre", "participle"]
    assert results[1].suggestion.source.name == "Ivan Petrov"


def test_citing_continues_the_speaker_in_its_own_statement():
    full = (
        'Headline\n\n"We will keep the clinic open," Maria Lopez said, citing strong support in the village.'
    )
    results = extract(full, Lexicon.from_registry())
    assert [full[r.start : r.end] for r in results][1] == "citing strong support in the village."
    assert [r.suggestion.rule for r in results] == ["say-verb-post", "participle"]
    assert results[1].suggestion.source.text == "Maria Lopez" and results[1].suggestion.cue == "citing"


@pytest.mark.parametrize(
    ("sentence", "speaker", "cue"),
    [
        (
            "Maria Lopez accused the transport board of hiding the cost of the tunnel.",
            "Maria Lopez",
            "accused",
        ),
        ("Ivan Petrov cites falling water levels across the northern valleys.", "Ivan Petrov", "cites"),
    ],
)
def test_accusing_and_citing_with_a_named_subject(sentence, speaker, cue):
    sugg = attribute(sentence)
    assert (sugg.source.text, sugg.cue, sugg.rule) == (speaker, cue, "say-verb-pre")


def test_passive_accused_is_not_an_attribution_of_the_accused():
    sugg = attribute("Police said a driver was accused of theft.")
    assert (sugg.source.text, sugg.cue) == ("Police", "said")


def test_a_long_apposition_stays_part_of_the_speaker():
    sugg = attribute(
        "Marta Kowalska, the director of the regional water board and a lecturer at the technical "
        "university in the northern city, said that the reservoir would be full by June.",
        "the reservoir",
    )
    assert sugg.source.name == "Marta Kowalska" and sugg.source.text.endswith("in the northern city")


def test_a_question_put_to_someone_is_attributed_to_the_asker():
    sugg = attribute("The council chairman asked the engineers whether the bridge could carry lorries.")
    assert (sugg.source.text, sugg.cue) == ("The council chairman", "asked")
    assert attribute("The engineers asked for more time.") is None  # a request, not a question


@pytest.mark.parametrize(
    ("sentence", "speaker", "cue", "rule"),
    [
        (
            "Critics argue that the new toll will push traffic onto village roads.",
            "Critics",
            "argue",
            "unnamed",
        ),
        ("Polls show that most residents back the new tram line.", "Polls", "show", "finding"),
        ("I think it’s the right moment to open the library on Sundays.", "I", "think", "belief-cue"),
    ],
)
def test_plain_present_forms_with_plural_or_pronoun_subjects(sentence, speaker, cue, rule):
    sugg = attribute(sentence)
    assert (sugg.source.text, sugg.cue, sugg.rule) == (speaker, cue, rule)
    if rule != "unnamed":
        assert sugg.confidence < 0.6  # findings and beliefs are weaker evidence than speech


def test_a_registry_source_reporting_an_event():
    sugg = attribute("The Syrian Observatory for Human Rights reported shelling near the town on Friday.")
    assert (sugg.source.name, sugg.cue) == ("Syrian Observatory for Human Rights", "reported")
    assert attribute("The bakery reported strong sales in the spring.") is None  # not a known source


def test_calling_something_by_quoted_words():
    full = 'Headline\n\nThe ministry called the plan "a dangerous fantasy" in a short reply.'
    assert [(t, s and s.rule) for t, s in document(full)] == [
        ("The ministry called", None),  # the frame
        ('the plan "a dangerous fantasy"', "say-verb-pre"),
        ("in a short reply.", None),
    ]
    sugg = attribute('The ministry called the plan "a dangerous fantasy" in a short reply.', "fantasy")
    assert (sugg.source.text, sugg.cue) == ("The ministry", "called")
    assert attribute("The mayor called the fire brigade at once.") is None  # a phone call, not a claim


def test_the_report_goes_to_the_issuer_the_text_named():
    full = (
        "Headline\n\nThe council rejected a report by Amnesty International on the prison. "
        "Analysts say the row will pass. The report says 300 people died in custody."
    )
    results = extract(full, Lexicon.from_registry())
    sugg = results[-1].suggestion
    assert (sugg.source.text, sugg.source.name, sugg.rule) == (
        "The report",
        "Amnesty International",
        "anaphor",
    )


def test_quoted_as_saying_gives_source_and_via():
    sugg = attribute("Warplanes struck two depots overnight, TASS quoted a military spokesman as saying.")
    assert (sugg.source.text, sugg.via.name, sugg.rule) == ("a military spokesman", "TASS", "nested")


def test_a_role_with_the_name_in_apposition_is_named_by_it():
    sugg = attribute(
        "The ministry's spokesman, Igor Petrenko, told state television that no civilians had been hurt.",
        "no civilians",
    )
    assert (sugg.source.name, sugg.source.kind) == ("Igor Petrenko", "named")


def test_a_quote_continues_past_the_frame_of_the_one_before():
    full = (
        "Headline\n\n\u201cFamilies are sleeping under the trees,\u201d the council\u2019s country "
        "director, Marta Lind, said in a statement. \u201cWithout funding, people will die.\u201d"
    )
    results = extract(full, Lexicon.from_registry())
    assert [r.frame for r in results] == [False, True, False]
    last = results[-1].suggestion
    assert (last.rule, last.source.name) == ("carry-over", "Marta Lind")


def test_a_possessive_description_and_a_pronoun_after_it():
    full = (
        "Headline\n\nA spokesman for the agency told reporters that the appeal was underfunded. "
        "Norway\u2019s foreign minister accused the council of abandoning the refugees. "
        "He said Oslo had spent billions on the camps."
    )
    results = extract(full, Lexicon.from_registry())
    accused, said = results[-2].suggestion, results[-1].suggestion
    assert (accused.source.text, accused.cue) == ("Norway\u2019s foreign minister", "accused")
    assert (said.source.text, said.source.name) == ("He", "Norway\u2019s foreign minister")


def test_aid_agencies_are_an_unnamed_group():
    sugg = attribute("The river rose overnight, aid agencies warned on Thursday.")
    assert (sugg.source.text, sugg.source.kind, sugg.cue) == ("aid agencies", "unnamed", "warned")


def test_unattributed_text_has_no_suggestion():
    full = "Headline\n\nThe river rose overnight. Schools were closed on Tuesday."
    assert [(r.suggestion, r.frame) for r in extract(full)] == [(None, False), (None, False)]


def test_custom_lexicon_from_editor_aliases():
    lex = Lexicon.from_pairs([("the harbour board", "harbour-board", "Harbour Board")])
    sug = attribute("The harbour board said fees would rise.", lexicon=lex)
    assert sug.source.key == "harbour-board" and sug.source.name == "Harbour Board"


def test_a_long_text_gives_the_same_results_for_every_copy():
    """Speed is measured by benchmarks/engine_quality.py; here: long input stays correct.

    A hundred copies of the sample article give a hundred times its statements, each copy's
    offsets shifted by exactly the copy's position, so no state leaks from one copy to the next.
    """
    text = normalise(SAMPLE.read_text(encoding="utf-8"))
    lex = Lexicon.from_registry()
    body = text.split("\n", 1)[1]
    one = extract("Title\n" + body, lex)
    sep = "\n\n"
    big = "Title\n" + sep.join([body] * 100)
    many = extract(big, lex)
    assert len(many) == 100 * len(one)
    step = len(body) + len(sep)
    for copy in (0, 57, 99):
        chunk = many[copy * len(one) : (copy + 1) * len(one)]
        for a, b in zip(one, chunk, strict=True):
            assert (b.start - a.start, b.end - a.end) == (copy * step, copy * step)
            sa, sb = a.suggestion, b.suggestion
            assert (sa is None) == (sb is None)
            if sa and sb:
                assert (sb.source.key, sb.source.text, sb.rule) == (sa.source.key, sa.source.text, sa.rule)
                assert sb.source.start - sa.source.start == copy * step


# --------------------------------------------------------------------------- prediction format


def test_to_prediction_format(sample):
    text, results = sample
    record = to_prediction("doc-1", text, results)
    json.dumps(record)
    assert record["doc_id"] == "doc-1" and len(record["statements"]) == len(results)
    for st, r in zip(record["statements"], results, strict=True):
        assert set(st) == {"start", "end", "source", "via", "cue", "confidence"}
        assert (st["start"], st["end"]) == (r.start, r.end)
        if r.suggestion is None:
            assert st["source"] is None and st["via"] is None and st["cue"] is None
    presstv = next(
        st
        for st, r in zip(record["statements"], results, strict=True)
        if "According to PressTV" in text[r.start : r.end]
    )
    assert presstv["via"] == {
        "name": "Press TV",
        "start": text.index("PressTV"),
        "end": text.index("PressTV") + 7,
    }
    assert presstv["source"]["name"] == "Syrian Ministry of Foreign Affairs and Expatriates"
    assert presstv["cue"]["text"] == "stated"


def test_prediction_uses_mention_text_when_unresolved():
    text = "Headline\n\nHe said the shop would close."
    record = to_prediction("d", text, extract(text))
    assert record["statements"][0]["source"] == {"name": "He", "start": 10, "end": 12}


def test_dataclass_fields():
    m = Mention("X", 0, 1, None, "X", "named")
    assert m.proposed_kind is None


# --------------------------------------------------------------------------- statement spans and newer rules


def statements(text: str) -> list[tuple[str, Suggestion | None]]:
    full = "Headline\n\n" + text
    return [(full[r.start : r.end], r.suggestion) for r in extract(full, Lexicon.from_registry())]


def test_leading_connective_is_not_part_of_the_speaker():
    sug = attribute("But Lena Park said the plan would fail.")
    assert sug.source.text == "Lena Park" and sug.rule == "say-verb-pre"


def test_adverb_now_between_speaker_and_cue():
    sug = attribute("Omar Haddad now says the bridge is safe.")
    assert sug.source.text == "Omar Haddad" and sug.cue == "says"


def test_clause_cue_before_a_finite_clause():
    sug = attribute("Ana Ruiz argued it was too late to change course.")
    assert sug.source.text == "Ana Ruiz" and sug.cue == "argued"


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Sixty percent said they would vote again.", "Sixty percent"),
        ("About four in 10 say the roads are worse.", "About four in 10"),
        ("Almost half of the parents said the school was too far away.", "Almost half of the parents"),
    ],
)
def test_share_of_a_group_as_speaker(sentence, speaker):
    sug = attribute(sentence)
    assert sug.source.kind == "unnamed" and sug.source.text == speaker


def test_relative_pronoun_speaker():
    parts = statements("The plan was backed by Lena Park, who said it would cut costs.")
    assert parts[0] == ("The plan was backed by Lena Park,", None)
    text, sug = parts[1]
    assert text == "who said it would cut costs."
    assert sug.rule == "relative" and sug.source.text == "who" and sug.source.name == "Lena Park"
    assert sug.source.kind == "pronoun"


def test_long_leading_phrase_is_its_own_statement():
    parts = statements(
        "At a crowded town hall in the old mill on Tuesday evening, Ana Ruiz said taxes would fall."
    )
    assert parts[0] == ("At a crowded town hall in the old mill on Tuesday evening,", None)
    assert parts[1][0] == "Ana Ruiz said taxes would fall." and parts[1][1].source.text == "Ana Ruiz"


def test_short_leading_phrase_stays():
    parts = statements("On Monday, Ana Ruiz said taxes on fuel and food would fall sharply next year.")
    assert len(parts) == 1 and parts[0][1].source.text == "Ana Ruiz"


def test_trailing_phrase_after_a_post_cue_is_split_off():
    parts = statements(
        "The bridge will reopen in May, Kofi Mensah said during a visit to the site with city engineers."
    )
    assert parts[0][0] == "The bridge will reopen in May, Kofi Mensah said"
    assert parts[0][1].source.text == "Kofi Mensah" and parts[0][1].rule == "say-verb-post"
    assert parts[1] == ("during a visit to the site with city engineers.", None)


def test_long_frame_before_a_short_content_is_split_off():
    parts = statements(
        "Jonas Berg, a senior economist at the national bank, told reporters on Monday that prices fell."
    )
    assert parts[0] == ("Jonas Berg, a senior economist at the national bank, told reporters on Monday", None)
    assert parts[1][0] == "that prices fell." and parts[1][1].source.name == "Jonas Berg"


def test_long_speaker_description_after_the_content_is_split_off():
    parts = statements(
        "“Prices will fall,” said Jonas Berg, a senior economist at the national bank in the capital."
    )
    assert parts[0][0] == "“Prices will fall,”" and parts[0][1].source.name == "Jonas Berg"
    assert parts[1][1] is None


def test_leading_phrase_before_speaker_and_quote():
    parts = statements("At the rally in the park on Monday, Omar Haddad said, “We will win this fight.”")
    assert parts[0] == ("At the rally in the park on Monday,", None)
    assert parts[1][0].startswith("Omar Haddad said") and parts[1][1].source.text == "Omar Haddad"


def test_speaker_inside_a_temporal_clause():
    parts = statements("The crowd cheered after Lena Park said the factory would stay open.")
    assert parts[0] == ("The crowd cheered", None)
    assert parts[1][0] == "after Lena Park said the factory would stay open."
    assert parts[1][1].source.text == "Lena Park"


def test_sentence_initial_temporal_clause_ends_at_its_comma():
    parts = statements("When Omar Haddad said the border was closed, prices rose sharply across the region.")
    assert parts[0][0] == "When Omar Haddad said the border was closed,"
    assert parts[0][1].source.text == "Omar Haddad"
    assert parts[1] == ("prices rose sharply across the region.", None)


def test_conditional_speaker_is_not_attributed():
    assert attribute("Prices will fall if the minister says the tax is gone.") is None


def test_according_to_any_noun_phrase():
    sug = attribute("Turnout fell sharply in the northern districts, according to exit polls.")
    assert sug.rule == "according-to" and sug.source.text == "exit polls"


def test_short_quote_before_speaker_and_phrase():
    sug = attribute("“Never,” Lena Park said to the reporters.")
    assert sug.rule == "say-verb-post" and sug.source.text == "Lena Park"


def test_second_cue_of_the_same_speaker_is_its_own_statement():
    parts = statements("Ana Ruiz said the plan was sound and warned that costs would rise.")
    assert [p[0] for p in parts] == ["Ana Ruiz said the plan was sound", "and warned that costs would rise."]
    assert [p[1].cue for p in parts] == ["said", "warned"]
    assert all(p[1].source.text == "Ana Ruiz" for p in parts)


def test_trailing_adverbial_clause_is_not_content():
    parts = statements(
        "Lena Park said the budget would pass easily, even as her rivals in the council prepared a veto."
    )
    assert (
        parts[0][0] == "Lena Park said the budget would pass easily,"
        and parts[0][1].source.text == "Lena Park"
    )
    assert parts[1] == ("even as her rivals in the council prepared a veto.", None)


def test_according_to_with_a_long_source_description():
    parts = statements(
        "According to a survey of small farms conducted by the regional farmers union, yields fell sharply."
    )
    assert parts[0][1] is None and parts[0][0].startswith("According to a survey")
    assert parts[1][0] == "yields fell sharply." and parts[1][1].rule == "according-to"


def test_apposition_with_a_relative_clause_is_part_of_the_speaker():
    sug = attribute("“Prices will fall,” said Jonas Berg, a trader who has worked at the market for years.")
    assert sug.source.text == "Jonas Berg, a trader who has worked at the market for years"
    assert sug.source.name == "Jonas Berg"


@pytest.mark.parametrize(
    ("sentence", "mention"),
    [
        (
            "“The port must stay open,” said Rep. Anna Holm (D-Ore.), a longtime advocate for fishing towns.",
            "Rep. Anna Holm (D-Ore.), a longtime advocate for fishing towns",
        ),
        (
            "“The port must stay open,” said Anna Holm, a harbour master whom the mayor recruited last year.",
            "Anna Holm, a harbour master whom the mayor recruited last year",
        ),
    ],
)
def test_party_tags_and_whom_clauses_stay_in_the_speaker(sentence, mention):
    sug = attribute(sentence)
    assert sug.source.text == mention and sug.source.name == "Anna Holm"


def test_a_title_before_the_name_stays_with_the_first_subject():
    full = (
        "Headline\n\nDemocratic presidential nominee Anna Holm toured the docks, "
        "saying the port must stay open."
    )
    results = extract(full, Lexicon.from_registry())
    sug = results[-1].suggestion
    assert (sug.rule, sug.source.text, sug.source.name) == (
        "participle",
        "Democratic presidential nominee Anna Holm",
        "Anna Holm",
    )


def test_relative_clause_after_a_speaker_named_after_the_content():
    sug = attribute("“We are not done,” said Ina Vogel, who runs the clinic in the old town.")
    assert sug.source.text == "Ina Vogel, who runs the clinic in the old town"


def test_trailing_reporter_is_the_outer_source():
    sug = attribute("The mayor said the tunnel would open in June, Reuters reported.")
    assert sug.rule == "nested" and sug.source.text == "The mayor" and sug.via.key == "reuters"


def test_trailing_according_to_is_the_outer_source():
    sug = attribute("Omar Haddad said the talks had stalled, according to the BBC.")
    assert sug.rule == "nested" and sug.source.text == "Omar Haddad" and sug.via.key == "bbc"


def test_colon_frame_hands_its_speaker_to_the_quote():
    full = "Headline\n\nIn a speech to the graduates, Lena Park declared:\n\n“The future is yours.”"
    results = extract(full, Lexicon.from_registry())
    assert results[-2].suggestion is None  # only the frame: the claim is the quote
    assert results[-1].suggestion.rule == "colon-quote" and results[-1].suggestion.source.name == "Lena Park"


def test_addressee_after_the_cue_is_not_split_off_as_content():
    parts = statements(
        "“We are ready,” Jonas Berg, the chairman of the regional board, told the local radio station."
    )
    assert all(not text.startswith("the local radio") for text, _ in parts)


def test_any_verb_after_a_quote_and_its_speaker():
    sug = attribute("“Can anyone name a single success?” she asked rhetorically.")
    assert sug.rule == "say-verb-post" and sug.source.text == "she" and sug.cue == "asked"
    sug = attribute("“Two things went right, and only two,” Ana Ruiz answers.")
    assert sug.source.text == "Ana Ruiz" and sug.cue == "answers"


def test_said_of_is_a_post_cue():
    sug = attribute("“They have every reason to agree,” Omar Haddad said of the two parties.")
    assert sug.rule == "say-verb-post" and sug.source.text == "Omar Haddad"


def test_intention_with_to_is_not_suggested():
    assert attribute("Lena Park wants to rebuild the old bridge next year.") is None


def test_belief_with_a_that_clause_after_a_pronoun():
    text = "Lena Park spoke at length. She believes that the plan will work."
    sug = attribute(text, "She believes")
    assert sug.rule == "belief-cue" and sug.source.text == "She"


def test_plain_description_as_speaker_of_said():
    sug = attribute("Even the organizer of the town fair said the rules were unfair.", "the rules")
    assert sug.source.text == "the organizer of the town fair" and sug.source.kind == "unnamed"


def test_a_long_frame_before_a_bare_clause_is_its_own_statement():
    full = (
        "Headline\n\nA lawyer for the three regional newspapers, Tomas Berg, said no decision had been "
        "made about an appeal."
    )
    results = extract(full, Lexicon.from_registry())
    texts = [full[r.start : r.end] for r in results]
    assert texts == [
        "A lawyer for the three regional newspapers, Tomas Berg, said",
        "no decision had been made about an appeal.",
    ]
    mention = results[1].suggestion.source.text
    assert (
        results[0].suggestion is None and mention == "A lawyer for the three regional newspapers, Tomas Berg"
    )
    assert [r.frame for r in results] == [True, False]  # the first part introduces the second
    assert results[1].suggestion.source.name == "Tomas Berg"  # the apposition names the speaker
    # A time phrase after "said" is not the claim: nothing is split off there.
    assert len(extract("Headline\n\nThe minister said on Monday the bridge would reopen.")) == 1


def test_an_ing_modifier_inside_the_speaker_description():
    full = (
        "Headline\n\nA lawyer for the three regional fishing cooperatives, Tomas Berg, said no decision "
        "had been made. \u201cWe will read the ruling first,\u201d he added."
    )
    results = extract(full, Lexicon.from_registry())
    claim, quote = results[-2].suggestion, results[-1].suggestion
    assert (claim.source.name, claim.source.kind) == ("Tomas Berg", "named")
    assert (quote.source.text, quote.source.name) == ("he", "Tomas Berg")  # the pronoun finds him


def test_plain_description_needs_a_speech_verb():
    assert attribute("The colour of the old boat suggested neglect.") is None


def test_possessive_description_as_speaker_of_said():
    sug = attribute("Lena Park's aides said she would stay in the capital until Friday.")
    assert sug.source.text == "Lena Park's aides" and sug.source.kind == "unnamed"


def test_connective_before_the_subject_of_a_second_verb():
    parts = statements("But the appeals court overruled the judge and said the vote could go ahead.")
    assert parts[-1][1] is not None and parts[-1][1].source.text == "the appeals court"


def test_leading_clause_before_but_is_its_own_statement():
    parts = statements("The talks ran late into the night, but officials said no deal was reached.")
    assert parts[0] == ("The talks ran late into the night,", None)
    assert parts[1][0] == "but officials said no deal was reached." and parts[1][1].source.kind == "unnamed"


def test_told_with_addressee_and_a_bare_clause():
    parts = statements(
        "Jonas Berg, the long-serving chairman of the regional board, "
        "told the local paper last week he would resign."
    )
    assert parts[-1][0] == "he would resign." and parts[-1][1].source.name == "Jonas Berg"


def test_named_study_with_a_finding_verb():
    sug = attribute("A new Harbour Institute survey found that most residents support the ferry.")
    assert sug.rule == "finding" and sug.source.text == "A new Harbour Institute survey"


def test_finding_verb_needs_a_document():
    assert attribute("The old fisherman found that the nets were torn.") is None


def test_relative_clause_and_main_clause_are_two_statements():
    parts = statements("Lena Park, who said she rarely votes, said the new mayor had won her over.")
    assert parts[1][0] == "who said she rarely votes," and parts[1][1].rule == "relative"
    assert parts[2][0] == "said the new mayor had won her over." and parts[2][1].source.text == "Lena Park"


def test_party_tag_does_not_end_the_speaker_phrase():
    sug = attribute(
        "Sen. Rob Ames (R-Ohio), a member of the panel, said the vote would be close.", "the vote"
    )
    assert sug.source.text == "Sen. Rob Ames (R-Ohio), a member of the panel"


@pytest.mark.parametrize("sentence", ["Some said they would stay home.", "Others say the fee is too high."])
def test_indefinite_pronoun_as_speaker_of_said(sentence):
    sug = attribute(sentence)
    assert sug is not None and sug.source.kind == "unnamed" and sug.source.text == sentence.split()[0]


def test_respondents_are_an_unnamed_group():
    sug = attribute("The most pressing issue, respondents said, is the price of housing in the city.")
    assert sug.source.text == "respondents" and sug.source.kind == "unnamed"


def test_trailing_dash_aside_is_not_content():
    parts = statements(
        "Ana Ruiz said the ferry would run all winter – a first for the island in many decades."
    )
    assert (
        parts[0][0] == "Ana Ruiz said the ferry would run all winter"
        and parts[0][1].source.text == "Ana Ruiz"
    )
    assert parts[1][1] is None


def test_leading_adverbial_before_content_of_a_final_according_to():
    parts = statements(
        "Despite the heavy snow overnight, turnout rose in every district, according to Reuters."
    )
    assert parts[0] == ("Despite the heavy snow overnight,", None)
    assert parts[1][0].startswith("turnout rose") and parts[1][1].source.key == "reuters"


# --------------------------------------------------------------------------- stance, labels, headlines


def document(full: str) -> list[tuple[str, Suggestion | None]]:
    """Every statement of a whole document (headline included) with its suggestion."""
    return [(full[r.start : r.end], r.suggestion) for r in extract(full, Lexicon.from_registry())]


@pytest.mark.parametrize(
    ("sentence", "speaker", "claim"),
    [
        ("Mayor Ines Olmo criticized the new parking rules.", "Mayor Ines Olmo", "the new parking rules"),
        ("The union has called for an independent inquiry into the crash.", "The union", "an independent"),
        ("Senator Ruth Ames warned against a second vote.", "Senator Ruth Ames", "a second vote"),
        ("She promised to rebuild the bridge before winter.", "She", "rebuild the bridge"),
    ],
)
def test_stance_cue_attributes_the_object(sentence, speaker, claim):
    sugg = attribute(sentence, claim)
    assert sugg is not None and sugg.rule == "stance-cue"
    assert sugg.source.text == speaker and sugg.confidence <= 0.6


def test_stance_cue_splits_a_long_frame_from_a_short_object():
    full = "Headline\n\nThe longtime chairman of the regional water board, Omar Haddad, rejected the plan."
    parts = [(text, s and s.rule) for text, s in document(full)]
    assert parts[-1] == ("the plan.", "stance-cue")
    assert parts[0][0].endswith("rejected") and parts[0][1] is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The plan was criticized by several residents.",  # passive: the subject is the target
        "After the mayor criticized the plan, the council voted again.",  # a subordinate clause
        "Residents gathered outside, criticizing the plan loudly.",  # a participle
    ],
)
def test_stance_cue_stays_quiet(sentence):
    assert attribute(sentence) is None


def test_stance_only_when_no_speech_cue():
    sugg = attribute("Ana Ruiz said the mayor criticized the budget.")
    assert sugg.rule == "say-verb-pre" and sugg.source.text == "Ana Ruiz"


def test_speaker_label_covers_its_paragraph_and_reports_inner_speakers():
    full = (
        "Headline\n\n"
        "MORALES: Well, the budget is too small. We need more teachers.\n\n"
        "HOST: The minister said the budget would grow.\n\n"
        "The meeting ended at noon."
    )
    got = document(full)
    assert [(t[:12], s.source.text if s else None, s and s.rule) for t, s in got[:2]] == [
        ("MORALES: Wel", "MORALES", "speaker-label"),
        ("We need more", "MORALES", "speaker-label"),
    ]
    assert got[2] == ("HOST:", None)  # the label alone introduces the statement after it
    inner = got[3][1]
    assert inner.source.text == "The minister" and inner.via.text == "HOST"
    assert got[4][1] is None  # the label ends with its paragraph


@pytest.mark.parametrize("label", ["Update", "Note", "Watch", "The Latest", "Rain Over Lisbon"])
def test_speaker_label_is_not_any_capitalised_phrase(label):
    assert attribute(f"{label}: the road is closed until Friday.") is None


def test_headline_is_a_statement_only_when_attributed():
    said = "Ames Says Harbour Tax Will Fund The Ferry.\n\nThe council meets today."
    got = document(said)
    assert got[0][0] == "Ames Says Harbour Tax Will Fund The Ferry."
    assert got[0][1].source.text == "Ames" and got[0][1].rule == "say-verb-pre"
    labelled = document("Poll: Voters back the ferry plan.\n\nThe council meets today.")
    assert labelled[0][1].source.text == "Poll" and labelled[0][1].rule == "speaker-label"
    plain = document("Ferry Plan Wins Support.\n\nThe council meets today.")
    assert [t for t, _ in plain] == ["The council meets today."]


def test_finding_subject_may_be_a_long_description_of_a_study():
    sugg = attribute(
        "A 2019 study published in a nursing journal found that night shifts raise risks.", "night shifts"
    )
    assert sugg.rule == "finding"
    assert sugg.source.text == "A 2019 study published in a nursing journal"
    sugg = attribute("Video of the arrest shows the man with his hands raised.")
    assert sugg.rule == "finding" and sugg.source.text == "Video of the arrest"


def test_possessive_noun_is_not_a_speech_verb():
    assert attribute("The mayor\u2019s comments on Tuesday came as the storm hit.") is None


def test_bare_party_tag_stays_with_the_name():
    sugg = attribute("Gov. Ann Wells (R) said the road would reopen.")
    assert sugg.source.text == "Gov. Ann Wells (R)"


def test_the_group_resolves_to_the_last_body_of_a_fitting_kind():
    full = (
        "Headline\n\nAmnesty International said two clinics were hit. "
        "Mayor Ana Ruiz visited the site on Monday. "
        "The wards were empty at the time, the group said."
    )
    got = document(full)
    sugg = got[-1][1]
    assert sugg.rule == "anaphor" and sugg.source.text == "the group"
    assert sugg.source.key == "amnesty-international"  # not the mayor: a person is no group


def test_the_ministry_does_not_take_an_ngo():
    full = (
        "Headline\n\nAmnesty International said two clinics were hit. The ministry said the report was false."
    )
    sugg = document(full)[-1][1]
    assert sugg.source.key is None and sugg.source.text == "The ministry"


def test_a_relative_clause_before_the_cue_stays_with_the_speaker():
    sugg = attribute("Ana Ruiz, who ran the clinic for a decade, said the wards were full.", "the wards")
    assert sugg.source.text == "Ana Ruiz, who ran the clinic for a decade"


@pytest.mark.parametrize(
    ("sentence", "fragment", "speaker"),
    [
        ("\u201cThe ferry must run,\u201d said the 46-year-old.", "ferry", "the 46-year-old"),
        ("In Lisbon, about half of Socialist voters said the ferry should run.", "ferry", None),
        ("One Porto delegate said the ferry should run.", "ferry", "One Porto delegate"),
    ],
)
def test_more_kinds_of_unnamed_speakers(sentence, fragment, speaker):
    sugg = attribute(sentence, fragment)
    expected = speaker or "about half of Socialist voters"
    assert sugg is not None and sugg.source.text == expected


def test_a_quote_before_its_speaker_is_his_even_when_more_follows():
    full = (
        "Headline\n\nThe band met in May.\n\n"
        "\u201cWe wrote two dozen songs,\u201d Kiedis said, adding the album is \u201cnearly done.\u201d\n\n"
        "''Money is fine,'' Ms. Sherry said, ''and so is ambition.''"
    )
    got = document(full)
    first = next(s for t, s in got if t.startswith("\u201cWe wrote"))
    assert first.source.text == "Kiedis" and first.rule == "say-verb-post"
    whole = [(t, s) for t, s in got if t.startswith("''Money")]
    assert whole[0][0].endswith("ambition.''") and whole[0][1].source.text == "Ms. Sherry"


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("\u201cThey came for the music,\u201d Bennett shot back with a laugh.", "Bennett"),
        ("\u201cLisbon will always be Lisbon,\u201d an angry Costa retorted.", "an angry Costa"),
    ],
)
def test_any_verb_after_a_closing_quote_names_its_speaker(sentence, speaker):
    sugg = attribute(sentence)
    assert sugg.source.text == speaker and sugg.rule == "say-verb-post"


def test_declining_to_comment_is_a_stance():
    sugg = attribute("A spokesman for the port declined to discuss the new fees.", "the new fees")
    assert sugg.rule == "stance-cue" and sugg.source.text == "A spokesman for the port"


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("LISBON (AP) \u2014 Rebels said they had taken the town.", "Rebels"),
        ("PORTO, Ore., Oct. 4 (UPI) \u2014 Mayor Ana Ruiz said the port would reopen.", "Mayor Ana Ruiz"),
    ],
)
def test_a_dateline_is_not_the_subject(sentence, speaker):
    full = "Headline\n\n" + sentence
    (text, sugg), *_ = document(full)
    assert text == sentence and sugg.source.text == speaker


def test_a_role_noun_continues_the_initial_subject():
    sugg = attribute(
        "The French minister of energy, Ana Royal, spoke at length, saying the deal would hold.", "deal"
    )
    assert sugg.rule == "participle" and sugg.source.text.startswith("The French minister")


def test_a_quotation_credited_after_a_dash():
    quote = "\u201cThe ferry is our lifeline. Without it we leave.\u201d \u2015 Marta Quintela."
    full = f"Headline\n\n{quote}\n\nThe end."
    (text, sugg), *_ = document(full)
    assert text.endswith("Marta Quintela.") and sugg.rule == "quote-credit"
    assert sugg.source.text == "Marta Quintela"
    assert attribute("\u201cThe ferry is late\u201d \u2014 and nobody knows why.") is None


def test_a_credited_quotation_split_over_statements_is_credited_whole():
    full = (
        "Headline\n\nThe ferry stopped in May.\n\n"
        "\u201dFear. I am afraid the ferry will not come back. Nobody tells us anything.\u201d "
        "\u2015 Marta Quintela."
    )
    got = document(full)
    assert got[0] == ("The ferry stopped in May.", None)
    assert all(s is not None and s.source.text == "Marta Quintela" for _, s in got[1:])


def test_a_dash_credit_without_an_opening_quote_stays_put():
    full = "Headline\n\nThe ferry stopped. Nobody came.\u201d \u2015 Marta Quintela."
    got = document(full)
    assert got[0][1] is None and got[-1][1].source.text == "Marta Quintela"


def test_an_apposition_between_dashes_stays_with_the_speaker():
    sugg = attribute(
        "Kall -- co-editor of a book on the debates -- said the mayor tends to improvise.", "improvise"
    )
    assert sugg.source.text == "Kall -- co-editor of a book on the debates"


def test_a_quote_then_its_speaker_telling_someone():
    sugg = attribute("\u201cIt is a phony system,\u201d Ana Ruiz told a radio host on Monday.")
    assert sugg.source.text == "Ana Ruiz" and sugg.rule == "say-verb-post"


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("\u201cWe live in hard times,\u201d my father often said.", "my father"),
        (
            "Officials at the Port Authority, a division of the city council, said the times would change.",
            "Officials at the Port Authority, a division of the city council",
        ),
    ],
)
def test_more_speaker_descriptions(sentence, speaker):
    sugg = attribute(sentence, "times")
    assert sugg is not None and sugg.source.text == speaker


def test_a_word_inside_the_closing_quote_is_not_before_the_cue():
    # "with" ends the quotation; it must not read as "with said" (a noun after a preposition)
    sugg = attribute("''It is something people struggle with,'' said Senator Ana Ruiz, Democrat of Porto.")
    assert sugg.source.text.startswith("Senator Ana Ruiz") and sugg.rule == "say-verb-post"


def test_an_age_then_a_description_after_the_speaker():
    sugg = attribute("''We will see many tactics,'' said Ana Ruiz, 32, a former aide to the mayor.")
    assert sugg.source.text == "Ana Ruiz, 32, a former aide to the mayor"


def test_a_comment_on_the_whole_claim_is_not_part_of_it():
    full = (
        "Headline\n\nThe port authority said on Friday that it had closed three berths for repairs, "
        "a move that will delay ferries for a month."
    )
    got = document(full)
    assert got[0][0].endswith("for repairs,") and got[0][1].source.text == "The port authority"
    assert got[1] == ("a move that will delay ferries for a month.", None)


def test_a_poll_introduced_by_in_is_the_outermost_source():
    sugg = attribute("In a new Lisbon Daily poll, just 18 percent of voters back the ferry plan.")
    assert sugg.rule == "finding" and sugg.source.text == "a new Lisbon Daily poll"
    nested = attribute("In a recent Porto Gazette poll, 29 percent said the ferry should stop.")
    assert nested.source.text == "29 percent" and nested.via.text == "a recent Porto Gazette poll"
    assert attribute("In the report, the mayor is criticized.") is None


def test_said_as_she_did_something_is_after_the_quote():
    sugg = attribute("\u201cThis is for my mother,\u201d Ana Ruiz said as she accepted the award.", "mother")
    assert sugg.source.text == "Ana Ruiz" and sugg.rule == "say-verb-post"


def test_finding_after_and_needs_a_study():
    assert attribute("The French team searched the hold and found the bag before take-off.", "bag") is None


@pytest.mark.parametrize(
    ("sentence", "fragment", "speaker"),
    [
        ("More than six in 10 said they were tired of the campaign.", "tired", "More than six in 10"),
        (
            "While some friends say the mayor looks tired, others say he has never looked better.",
            "tired",
            "some friends",
        ),
    ],
)
def test_shares_and_while_clauses_have_speakers(sentence, fragment, speaker):
    sugg = attribute(sentence, fragment)
    assert sugg is not None and sugg.source.text == speaker


def test_a_pronoun_after_a_short_leading_phrase_without_a_comma():
    full = "Headline\n\nAna Ruiz said the port was busy.\n\nIn 2010 she said the port would close."
    sugg = document(full)[-1][1]
    assert sugg.source.text == "she" and sugg.source.name == "Ana Ruiz"


def test_a_participle_after_a_comma_inside_the_closing_quote():
    full = "Headline\n\nAna Ruiz defended the \u201cPorto way,\u201d saying the city was built on it."
    got = document(full)
    assert got[0] == ("Ana Ruiz defended the \u201cPorto way,\u201d", None)
    assert got[1][0].startswith("saying") and got[1][1].source.text == "Ana Ruiz"


def test_responding_by_saying_is_the_subjects_speech():
    sugg = attribute("A port official responded by saying the ferries would run on Sunday.")
    assert sugg.source.text == "A port official" and sugg.cue == "saying"


def test_a_participle_with_an_adverb():
    sugg = attribute("Many residents remain wary of the plan, often citing the last strike.", "citing")
    assert sugg.rule == "participle" and sugg.source.text == "Many residents"  # not "Many"


def test_a_claim_then_its_speaker_telling_someone():
    full = "Headline\n\nThe port will close in May, Ana Ruiz told reporters on Monday."
    got = document(full)
    assert got[0][0] == "The port will close in May," and got[0][1].source.text == "Ana Ruiz"
    assert got[0][1].rule == "say-verb-post"


def test_a_sentence_of_endless_cues_is_cut_short():
    """Cost guard: text without punctuation full of say-verbs looks at a few cues per segment."""
    from attributions.engine.extractor import MAX_CUES_PER_SENTENCE, _Analyser, _Sentence

    sentence = _Sentence(_Analyser(Lexicon.from_registry()), "he said that she said " * 60)
    assert len(list(sentence.cue_matches())) == MAX_CUES_PER_SENTENCE
    results = extract("Title\n\n" + "he said that she said " * 2000)
    assert results and all(r.end - r.start <= 1500 for r in results)
