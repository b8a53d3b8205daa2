"""Extraction: sentences, actors, and directed statements, on the seed and on single rules."""
from __future__ import annotations

import re
import types

import pytest

from tracker.extract import Extractor, extract_statements, split_sentences
from tracker.ingest import read_articles


@pytest.fixture(scope="module")
def seed(seed_path):
    article = next(iter(read_articles([seed_path])))
    return article, Extractor().extract(article.id, article.text, article.published)


def dyads(statements):
    return {(s.source, s.target) for s in statements}


def test_sentences_respect_abbreviations():
    text = "Ms. Zakharova spoke on Feb. 4 in the U.S. capital. The U.S. replied.\n\nHeadline"
    got = [text[a:b] for a, b in split_sentences(text)]
    assert got == ["Ms. Zakharova spoke on Feb. 4 in the U.S. capital.", "The U.S. replied.",
                   "Headline"]


def test_seed_dyads_a_careful_reader_finds(seed):
    _, statements = seed
    found = dyads(statements)
    expected = {("RUS", "KOR"), ("KOR", "RUS"), ("RUS", "PRK"), ("PRK", "RUS"), ("PRK", "KOR"),
                ("KOR", "PRK"), ("USA", "PRK"), ("RUS", "USA"), ("RUS", "JPN")}
    assert expected <= found
    # Ukraine only names a war, Japan and the US never act here, analysts are no state.
    assert not {d for d in found if "UKR" in d}
    assert not {d for d in found if d[0] == "JPN"}
    assert found - expected == set()


def test_seed_read_also_line_gives_nothing(seed):
    article, statements = seed
    assert "Read also" not in article.text
    assert not [s for s in statements if "fourth cruise missile" in s.sentence]


def test_seed_offsets_point_into_the_stored_text(seed):
    article, statements = seed
    for s in statements:
        assert article.text[s.sentence_start:s.sentence_end] == s.sentence
        assert s.sentence_start <= s.clause_start < s.clause_end <= s.sentence_end
        for a, b in s.source_spans + s.target_spans:
            assert s.sentence_start <= a < b <= s.sentence_end


def test_seed_zakharova_is_followed_through_ms_and_she(seed):
    _, statements = seed
    said = [s for s in statements if s.sentence.startswith("In the same remarks")]
    assert {(s.source, s.target) for s in said} == {("RUS", "KOR"), ("RUS", "USA")}
    assert said[0].source_text == "she"


def test_seed_summons_is_korea_toward_russia(seed):
    _, statements = seed
    summon = [s for s in statements if "summoned" in s.rule]
    assert [(s.source, s.target) for s in summon] == [("KOR", "RUS")]
    assert "Zinoviev" in summon[0].target_text


@pytest.mark.parametrize("text,expected", [
    ("Seoul summoned the Russian ambassador on Monday.", {("KOR", "RUS")}),
    ("China and Japan signed a trade agreement in Tokyo.", {("CHN", "JPN"), ("JPN", "CHN")}),
    ("The sanctions were condemned by the Kremlin, which accused Washington of meddling.",
     {("RUS", "USA")}),
    ("Analysts warned that Iran could attack Israel.", set()),
    ("French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin.",
     {("FRA", "DEU"), ("DEU", "FRA")}),
    ("India criticised Pakistan over the attack, according to a statement.", {("IND", "PAK")}),
    ("Russian diplomats discussed the war in Ukraine with Turkish officials.",
     {("RUS", "TUR"), ("TUR", "RUS")}),
])
def test_rules(text, expected):
    got = dyads(extract_statements("t", text, "2023-06-01"))
    assert got == expected


def test_officials_count_only_in_office():
    text = "Putin warned Germany against sending tanks."
    assert dyads(extract_statements("t", text, "2023-01-10")) == {("RUS", "DEU")}
    assert dyads(extract_statements("t", text, "1990-01-10")) == set()


def test_mixed_sentence_gives_both_targets():
    text = "Japan praised Australia for its support and accused China of coercion."
    got = dyads(extract_statements("t", text, "2023-06-01"))
    assert {("JPN", "AUS"), ("JPN", "CHN")} <= got


def test_evidence_names_the_rule_and_mentions():
    (st,) = extract_statements("t", "North Korea declared Seoul its main enemy.", "2024-01-20")
    assert (st.source, st.target, st.rule) == ("PRK", "KOR", "speech:declared")
    assert st.source_text == "North Korea" and st.target_text == "Seoul"
    assert st.sentence[st.target_spans[0][0]:st.target_spans[0][1]] == "Seoul"


def test_nonstate_speakers_only_on_request():
    text = "Experts accused Russia of violating the treaty."
    assert extract_statements("t", text, "2023-01-01") == []
    ex = Extractor(include_nonstate=True)
    assert ex.version != Extractor().version


@pytest.mark.parametrize("text,expected", [
    # A passive without an agent names nobody acting.
    ("Three American soldiers were killed in Iraq on Sunday.", set()),
    # A non-state group is neither the state nor its target.
    ("Malian rebels attacked a convoy, and France condemned Russia.", {("FRA", "RUS")}),
    # An adjective before a place names the place, not the state.
    ("Poland closed the Belarusian border.", set()),
    # A treaty named after a city is no target.
    ("Moscow praised the Warsaw Pact and Germany.", {("RUS", "DEU")}),
    # Refusing to meet is not mutual; agreeing to supply someone is not either.
    ("Turkey refused to meet Greece.", {("TUR", "GRC")}),
    # A plural demonym right before its verb acts.
    ("Palestinians blamed Israel for the raid.", {("PSE", "ISR")}),
    # An attribution without an article still names the speaker.
    ("Tensions with Tokyo are rising, Chinese Foreign Ministry spokesman Lin Jian said.",
     {("CHN", "JPN")}),
    # A verb outside the word lists right after a state subject.
    ("Britain officially took ownership of the islands, Mauritius said.", set()),
    ("Beijing has tightened its grip on trade with Australia.", {("CHN", "AUS")}),
    # An "after" clause with its own subject gives its own statement.
    ("Britain is seeking a deal after U.S. President Donald Trump said he backed Mauritius.",
     {("USA", "MUS")}),
    # A country after a city is a place; so is a neighbour named by a border.
    ("Asked while en route to Jeddah, Saudi Arabia, the U.S. envoy said Washington backed "
     "Bosnia.",
     {("USA", "BIH")}),
    ("Somalia's army shelled a town near its border with Ethiopia.", set()),
    # A tail that reports content is the main verb, not an attribution.
    ("U.S. Senator James Risch, a senior member of the committee, said in October that the "
     "deal gives in to Chinese lawfare.", {("USA", "CHN")}),
    # Media named by an adjective are no state.
    ("He told a French channel that Brussels was slow.", set()),
    # A passive with "to be" and no agent names nobody acting.
    ("Neither Britain nor Mauritius commented, and the deal is yet to be finalized.", set()),
    # A target inside the quotation that a later speaker reports.
    ('"We strongly reject the baseless allegations made by Pakistan," Indian foreign ministry '
     'spokesperson Randhir Jaiswal told reporters.', {("IND", "PAK")}),
    # A question asserts nothing.
    ("How concerned are you about the deepening ties between Russia and China?", set()),
    # A non-state speaker framing the sentence.
    ("A new body would focus on nuclear threats from China and Russia, analysts say.", set()),
    # A relation noun gives both directions only when nobody in the sentence speaks about it.
    ("U.S. officials said they discussed the conflict between Russia and Ukraine.",
     {("USA", "RUS"), ("USA", "UKR")}),
    # A Korean or Chinese official is named by the family name on second mention.
    ("North Korean leader Kim Jong Un arrived on Monday. Kim praised Russia.",
     {("PRK", "RUS")}),
    # A speaker who is no state reporting what a state does: the state is the source.
    ("Kariuki said Britain will take any measures necessary to prevent Iran from acquiring a "
     "nuclear weapon.", {("GBR", "IRN")}),
    ("Experts said Britain will sanction Iran.", set()),
    # Negotiations between two states go both ways.
    ("Negotiations between Britain and Mauritius have been going on for years.",
     {("GBR", "MUS"), ("MUS", "GBR")}),
    # A dependent territory whose sovereignty is at stake is the topic, not a party.
    ("Britain agreed to hand sovereignty of the Chagos Islands to Mauritius.",
     {("GBR", "MUS")}),
    ("Denmark rejected the purchase of Greenland by the United States.", {("DNK", "USA")}),
    # A participle with its agent: the agent acts toward what the participle describes.
    ("Somali troops, supported by the U.S. military, attacked the camp.", {("USA", "SOM")}),
    ("Vietnam and China dispute the islands, a quarrel joined by Malaysia.", set()),
    # A country in an opening prepositional phrase is no subject.
    ("Beyond Ukraine, the ministers also discussed China's trade policy.", set()),
    # A hyphenated pair names what a speaker addresses ...
    ("China criticized the U.S.-Japan security alliance.", {("CHN", "USA"), ("CHN", "JPN")}),
    # ... but alone it states nothing, and "Guinea-Bissau" is one country.
    ("U.S.-Turkish tensions have grown.", set()),
    ("Guinea-Bissau thanked Senegal.", {("GNB", "SEN")}),
    # Coordinated adjectives share the head noun: two sources, no target between them.
    ("Russian and North Korean leaders signed a treaty.", {("RUS", "PRK"), ("PRK", "RUS")}),
    ("U.S. and Iraqi officials described the raid against Syria as a success.",
     {("USA", "SYR"), ("IRQ", "SYR")}),
    # A progressive and an irregular past tense after a state subject.
    ("Ankara had been looking to repair relations with Israel.", {("TUR", "ISR")}),
    ("The White House sent a delegation to Taiwan.", {("USA", "TWN")}),
    # "along with" coordinates sources; "both leaders" is the pair of the sentence before.
    ("France, along with Egypt, condemned Turkey.", {("FRA", "TUR"), ("EGY", "TUR")}),
    # A country's expert is no state, and neither source nor target.
    ("A senior Iran analyst said China will buy more oil.", set()),
    # A noun after a determiner and a country adjective is no verb.
    ("U.S. officials have yet to comment on the Iraqi claims.", set()),
    # "from" is a place only after a journey.
    ("Italy restricted all travel from India.", {("ITA", "IND")}),
    ("Macron returned from India and praised Japan.", {("FRA", "JPN")}),
    # The comma that closes a relative clause gives the verb back to the antecedent.
    ("Russia, which invaded Ukraine in 2022, warned Japan on Monday.",
     {("RUS", "UKR"), ("RUS", "JPN")}),
    ("China, which has long been North Korea's closest ally, expressed concern.", set()),
    # Base forms of the listed verbs ("continue to support") and "argues".
    ('Canadian Foreign Minister Melanie Joly said, "Peace is our aim, and we will continue '
     'to support Ukraine."', {("CAN", "UKR")}),
    ("Mogadishu argues that Kenya broke the deal.", {("SOM", "KEN")}),
    # A listed verb after a determiner or a possessive is a noun.
    ("Washington's support is crucial for Islamabad.", set()),
    ("The attack on Ukraine worried Japan.", set()),
    ("An Indian warship paid a visit to Mauritius.", {("IND", "MUS")}),
    # The object of "accuse", "credit" ... and those joined to it; not the rest.
    ("Moscow accused Britain and France of arming Ukraine.", {("RUS", "GBR"), ("RUS", "FRA")}),
    ("Washington credited Britain for its role in talks with Ukraine.", {("USA", "GBR")}),
    # A critic or an opponent named by a seat of government is no state.
    ("Kremlin critic Alexei Navalny accused Germany of weakness.", set()),
    # A meeting goes both ways, like "met".
    ("Washington expects a pull-aside meeting with Tokyo on Thursday.",
     {("USA", "JPN"), ("JPN", "USA")}),
    # Seats of government without "the" before a role; a former official is no state.
    ("A State Department spokesperson said sanctions on North Korea must stay.",
     {("USA", "PRK")}),
    ("Kremlin spokesman Dmitry Peskov criticized Ukraine.", {("RUS", "UKR")}),
    ("Evans Revere, a former State Department official, said North Korea may test a missile.",
     set()),
    # A pair reference as subject: both countries speak, neither is the other's target.
    ("Japan and the United States held talks. The two allies warned North Korea.",
     {("JPN", "USA"), ("USA", "JPN"), ("JPN", "PRK"), ("USA", "PRK")}),
    # Talks with a partner go both ways, whatever verb leads to them.
    ("Blinken led hours of talks with Ukrainian officials in Jeddah.",
     {("USA", "UKR"), ("UKR", "USA")}),
    ("Lavrov spoke to reporters after talks with Chinese Foreign Minister Wang Yi in Beijing.",
     {("RUS", "CHN"), ("CHN", "RUS")}),
    # "after" + a participle: the main clause's subject.
    ("Kishida will visit India in April, after meeting with U.S. President Joe Biden.",
     {("JPN", "IND"), ("JPN", "USA"), ("USA", "JPN")}),
    # Speaking goes both ways with its partner, or between joined subjects; not with a topic.
    ("Kishida spoke by phone with South Korean President Yoon Suk Yeol.",
     {("JPN", "KOR"), ("KOR", "JPN")}),
    ("Kishida and Yoon spoke by phone on Monday.", {("JPN", "KOR"), ("KOR", "JPN")}),
    ("Biden and Zelenskyy disagreed about the pace of aid.", {("USA", "UKR"), ("UKR", "USA")}),
    ("In 2023, Biden spoke at length about North Korea.", {("USA", "PRK")}),
    # A passive's subject is the agent's target; a passive without an agent names nobody.
    ("Japan was criticized by China on Monday.", {("CHN", "JPN")}),
    ("Seoul's proposal was rejected by Pyongyang.", {("PRK", "KOR")}),
    ("A group headquartered in Copenhagen was sanctioned by Beijing.", set()),
    ("The envoy of Italy was credited with taking Albania into NATO.", set()),
    # Joined subjects acting on their bond act toward each other.
    ("India and Mauritius have upgraded their ties.", {("IND", "MUS"), ("MUS", "IND")}),
    ("India and Japan criticized their rivals.", set()),
    # "analysts say" frames only what follows a dash or a semicolon before it.
    ("India and Mauritius have upgraded their ties — a move analysts say is aimed at China.",
     {("IND", "MUS"), ("MUS", "IND")}),
    ("Russia will attack Ukraine again, analysts say.", set()),
    ("Turkey is looking to reset relations with Egypt in a move analysts say is overdue.",
     {("TUR", "EGY")}),
    # Subjects joined against a third are on one side; joined alone, they face each other.
    ("France, along with Egypt, faced off against Turkey in Libya.",
     {("FRA", "TUR"), ("TUR", "FRA"), ("EGY", "TUR"), ("TUR", "EGY")}),
    ("India and China clashed on the border.", {("IND", "CHN"), ("CHN", "IND")}),
    # A place or a topic joined to one is one too.
    ("Japan condemned the wars in Ukraine and Gaza, and the attacks in Iraq and Syria.", set()),
    ("China sent aid to Laos and Cambodia.", {("CHN", "LAO"), ("CHN", "KHM")}),
    # A demonym naming a sea or an ocean is a place.
    ("India and China have stepped up efforts to build ties with Indian Ocean countries.",
     set()),
])
def test_more_rules(text, expected):
    assert dyads(extract_statements("t", text, "2024-06-01")) == expected


def test_speech_mode_attributes_sentences_to_the_speaker():
    text = ("We are deeply concerned by the actions of the Russian Federation. "
            "My delegation thanks Japan for its support. Ukraine deserves peace.")
    got = Extractor().extract("u", text, "2023-09-20", speaker="FRA")
    assert {(s.source, s.target) for s in got} == {("FRA", "RUS"), ("FRA", "JPN"),
                                                   ("FRA", "UKR")}
    implicit = [s for s in got if s.rule == "speech:speaker"]
    assert implicit and all(s.source_spans == () for s in implicit)
    assert Extractor().extract("u", text, "2023-09-20") == []
    # Another state as subject with no target of its own: the speaker speaks about it; with a
    # target, the subject's own statement stands.
    got = Extractor().extract("u", "India has not accepted this offer. Russia invaded Ukraine.",
                              "2023-09-20", speaker="PAK")
    assert [(s.source, s.target, s.rule) for s in got] == [
        ("PAK", "IND", "speech:speaker"), ("RUS", "UKR", "action:invaded")]


def test_each_turn_of_a_transcript_speaks_for_its_speaker(press_conference):
    text, published = press_conference
    result = Extractor().analyse("pc", text, published, "USA", mentions=True)
    by_start = {s.start: s for s in result.sentences}

    def sentence(words):
        return next(s for s in result.sentences if words in text[s.start:s.end])

    assert {s.speaker for s in result.sentences} == {"USA", "JPN", None}
    assert sentence("Let me respond to the Iran question").speaker == "USA"
    suga = sentence("We also had serious talks on China")
    question = sentence("my question is on China policy")
    assert suga.speaker == "JPN" and question.speaker is None
    assert suga.turn_start < suga.start and question.turn_start <= question.start
    found = {(st.source, st.target) for st in result.statements
             if st.sentence_start == suga.start}
    assert found == {("JPN", "CHN")}
    assert not [st for st in result.statements if st.sentence_start == question.start]
    assert all(by_start[st.sentence_start].speaker in (st.source, st.target, None)
               for st in result.statements if st.rule == "speech:speaker")
    # Read as one voice (speech mode before rules-7), the Prime Minister's words were the USA's.
    one_voice = Extractor(turns=False)
    assert one_voice.version.endswith("+one-voice") and one_voice.version != Extractor().version
    whole = one_voice.extract("pc", text, published, "USA")
    assert ("USA", "CHN") in {(st.source, st.target) for st in whole
                              if st.sentence_start == suga.start}


def test_a_text_with_fewer_than_three_labels_is_not_a_transcript():
    text = "NOTE: Russia condemned Ukraine. We thank Japan.\nUPDATE: Japan replied."
    result = Extractor().analyse("n", text, "2023-09-20", "FRA", mentions=True)
    assert {s.speaker for s in result.sentences} == {"FRA"}
    assert {s.turn_start for s in result.sentences} == {0}


def test_its_refers_to_the_subject_of_a_one_country_sentence():
    text = ("China launched a new satellite on Monday. Its foreign ministry criticized Japan "
            "for the protest.")
    assert dyads(Extractor().extract("a", text)) == {("CHN", "JPN")}


def test_workers_give_the_same_statements_in_the_same_order(shared_data):
    articles = list(read_articles([shared_data / "voa" / "voa_stories.jsonl"]))[:40]
    items = [(a.id, a.text, a.published) for a in articles]
    ex = Extractor()
    serial = list(ex.analyse_many(items, workers=1))
    parallel = list(ex.analyse_many(items, workers=2, chunksize=3))
    assert [i for i, _ in parallel] == [a.id for a in articles]
    assert parallel == serial
    assert sum(len(r.statements) for _, r in serial) > 50
    # A lazy iterator of more articles than one window (64 here) keeps its order too.
    many = ((f"{i}#{k}", t, p) for k in range(5) for i, t, p in items)
    ids = [i for i, _ in ex.analyse_many(many, workers=2, chunksize=2)]
    assert ids == [f"{i}#{k}" for k in range(5) for i, _, _ in items]


def test_he_after_a_quotation_is_the_quotations_speaker():
    # An analyst quoted after an official: "he said" is the analyst's, not the official's.
    text = ("Russian Foreign Minister Sergey Lavrov spoke on Monday. "
            '"Nothing will change," Hecker, a consultant in London, said. '
            '"We will not trust Japan," he said.')
    assert dyads(Extractor().extract("a", text, "2024-06-01")) == set()
    # The official stays the speaker when no one else has spoken since.
    text = ("Russian Foreign Minister Sergey Lavrov spoke on Monday. "
            '"We will not trust Japan," he said.')
    assert dyads(Extractor().extract("a", text, "2024-06-01")) == {("RUS", "JPN")}


def test_story_pair_gives_the_implied_target():
    # After two statements between Pakistan and the United States, "the resolution" that
    # Pakistan rejects is the American one; the target has no span in the sentence.
    text = ("The U.S. House condemned Pakistan on Tuesday. Pakistan summoned the U.S. envoy. "
            "Islamabad rejected the resolution on Wednesday.")
    got = Extractor().extract("a", text, "2024-06-01")
    story = [s for s in got if s.rule.startswith("story:")]
    assert [(s.source, s.target, s.rule, s.target_spans) for s in story] == [
        ("PAK", "USA", "story:rejected", ())]
    # With no main pair yet, nothing is implied.
    assert Extractor().extract("a", "Islamabad rejected the resolution.", "2024-06-01") == []


def test_substring_gates_never_hide_a_match(shared_data):
    # Each cheap substring test before a regex must hold wherever the regex matches, or rules
    # would silently stop firing when a word list grows.
    E = _internals()

    gates = [(E.TITLED, E._TITLE_KEYS, str), (E.INSTITUTION, E._INSTITUTION_KEYS, str),
             (E.SIDE_REF, ("the South", "the North"), str), (E.PAIR_REF, E._PAIR_KEYS, str),
             (E.NONSTATE_SAYS, E._NONSTATE_KEYS, str), (E.NONSTATE, E._NONSTATE_STEMS, str.lower),
             (E.SAYS_VERB, E._SPEECH_KEYS, str), (E.PASSIVE, ("by", "By", "BY"), str),
             (E.NOMINAL, ("by", "from"), str), (E.ACCORDING, ("ccording", "CCORDING"), str),
             (E.CLAUSE_WORD, ("while", "whereas", "after"), str)]
    articles = list(read_articles([shared_data / "voa" / "voa_stories.jsonl"]))
    sentences = [a.text[x:y] for a in articles for x, y in split_sentences(a.text)]
    sentences += ["The Two Countries met.", "BOTH SIDES agreed.", "Mrs. Kim said so.",
                  "It was ACCORDING TO the Ministry.", "Think tanks disagreed."]
    for pattern, keys, transform in gates:
        hits = [s for s in sentences if pattern.search(s)]
        assert hits, pattern.pattern[:40]
        missed = [s for s in hits if not E._may_hold(transform(s), keys)]
        assert not missed, (pattern.pattern[:40], missed[:2])
    # The word-before gates of the preposition and topic regexes.
    for s in sentences[:800]:
        for m in re.finditer(r"(?<=\s)\w", s):
            i = m.start()
            if E.TOPIC_BEFORE.search(s[max(0, i - 40):i]):
                assert E._last_word(s, i) in E._TOPIC_LAST, s[max(0, i - 40):i]
            assert E._after_preposition(s, i) == bool(
                E.PREPOSITION_BEFORE.search(s[max(0, i - 12):i])), s[max(0, i - 12):i]


def test_quotation_over_sentences_takes_the_speaker_named_at_its_close():
    text = ('"We hoped to settle our dispute with Kenya. That proved impossible," Somalia\'s '
            'ambassador Ali Guled said on Monday.')
    got = Extractor().extract("a", text, "2024-06-01")
    assert [(s.source, s.target, s.rule, s.sentence_index) for s in got] == [
        ("SOM", "KEN", "quote:said", 0)]
    # The speaker's mention lies in the closing sentence: its offsets say so.
    (st,) = got
    assert text[slice(*st.source_spans[0])].endswith("ambassador Ali Guled")
    # A quotation whose speaker is named where it opens is theirs, not the close's.
    text = ('Chong, a professor in Singapore, told VOA, "Germany will not follow China. '
            'It never has," Germany\'s ambassador said.')
    assert dyads(Extractor().extract("a", text, "2024-06-01")) == set()


def test_word_helpers_match_only_whole_words():
    E = _internals()

    # A family name as a whole word: no letter, digit, underscore or hyphen beside it.
    s = "Kim met Kimberly; Kim-led talks, ex-Kim, Kim_2 and Kim."
    assert [s[a:b] for a, b in E._whole_words(s, "Kim")] == ["Kim", "Kim"]
    assert [a for a, _ in E._whole_words(s, "Kim")] == [0, len(s) - 4]
    assert E._whole_words(s, "") == []
    # Titles only where a word starts, as the "\b" they replace.
    assert [m.group("name") for m in E.TITLED.finditer("Mr. Lee and XMr Park, President Yoon")] \
        == ["Lee", "Yoon"]


def test_long_words_before_a_full_stop_end_sentences():
    # The abbreviation look is skipped for words longer than every abbreviation; the
    # abbreviations themselves and single initials still hold the sentence together.
    text = ("Talks resumed in Washington. Gen. Kim met Mr. Lee in Seoul at 9 a.m. on Monday. "
            "The U.S. agreed. Initials like J. Smith stay. Approx. ten left.")
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Talks resumed in Washington.", "Gen. Kim met Mr. Lee in Seoul at 9 a.m. on Monday.",
        "The U.S. agreed.", "Initials like J. Smith stay.", "Approx. ten left."]


def test_pronouns_are_whole_words_he_and_she():
    E = _internals()

    s = "she said. She, He; ashe she-wolf Shell shed he's x-he Hehe SHE sHe he"
    assert [s[a:b] for a, b in E._pronouns(s)] == ["she", "She", "He", "she", "he", "he", "he"]


def test_speech_verbs_after_any_whitespace():
    E = _internals()

    # A plain-space sentence takes the fast pattern; other whitespace the general one.
    for s in ("Kim said it, unsaid, told.", "Kim\tsaid it,\xa0told\nus; Kim-said"):
        expected = [(v.start(), v.end(), v.group()) for v in E.SAYS_VERB.finditer(s)
                    if v.start() and s[v.start() - 1].isspace()]
        assert E._speech_verbs(s) == expected and len(expected) == 2


def _internals():
    """The extraction package's word lists and grammar helpers, in one namespace."""
    from tracker.extract import grammar, lexicon

    return types.SimpleNamespace(**{**vars(lexicon), **vars(grammar)})


def test_a_briefing_page_keeps_its_turns_through_ingest(tmp_path):
    # A State Department briefing as a fetched page delivers it: paragraphs, no speaker given.
    (tmp_path / "briefing.html").write_text(
        "<html><head><title>Department Press Briefing</title></head><body><article>"
        "<h1>Department Press Briefing - March 1, 2022</h1>"
        "<p>MR PRICE: Good afternoon. We condemn Russia's invasion of Ukraine.</p>"
        "<p>QUESTION: Will the United States sanction China if it helps Moscow?</p>"
        "<p>MR PRICE: We have been clear with Beijing about the consequences.</p>"
        "<p>FOREIGN MINISTER BAERBOCK: Germany stands with Ukraine.</p>"
        "</article></body></html>", encoding="utf-8")
    article = next(iter(read_articles([tmp_path / "briefing.html"])))
    pairs = {(s.source, s.target) for s in Extractor().extract(article.id, article.text,
                                                                "2022-03-01", "USA")}
    # The spokesman speaks for the file's state, the German minister for hers, the question
    # for nobody.
    assert pairs == {("USA", "RUS"), ("USA", "CHN"), ("DEU", "UKR")}
    unknown = {(s.source, s.target) for s in Extractor().extract(article.id, article.text,
                                                                  "2022-03-01")}
    assert unknown == {("DEU", "UKR")}  # read as one voice, nothing at all


def test_a_leader_the_gazetteer_does_not_know_speaks_for_the_state_named_beside_them():
    from tracker.extract.turns import turn_speaker

    title = "Secretary Antony J. Blinken And Moldovan President Maia Sandu At a Joint Press"
    assert turn_speaker("PRESIDENT SANDU", "2022-03-06", "USA", document="", title=title) \
        == "MDA"
    text = "Welcome, Prime Minister Naftali Bennett of Israel.\nPRIME MINISTER BENNETT: Thanks."
    assert turn_speaker("PRIME MINISTER BENNETT", "2021-08-27", "USA", document=text) == "ISR"
    # Named beside no state: an official in office the gazetteer knows by the surname ...
    assert turn_speaker("VICE PRESIDENT HARRIS", "2022-05-01", "USA",
                        document="Remarks by Vice President Harris") == "USA"
    # ... else no state at all, never the file's (the United States has no prime minister).
    assert turn_speaker("PRIME MINISTER XU", "2022-05-01", "USA", document="Hello.") is None
    # A state named beside someone else, across lower-case words, does not count.
    text = "The Australian delegation and Prime Minister Xu met."
    assert turn_speaker("PRIME MINISTER XU", "2022-05-01", "USA", document=text) is None
    # Officials of an international organisation speak for none; the file's own staff for it.
    assert turn_speaker("HIGH REPRESENTATIVE BORRELL", "2022-05-01", "USA", document="") is None
    assert turn_speaker("MS. DALTON", "2022-05-01", "USA", document="Ms. Dalton") == "USA"


def test_a_visiting_president_speaks_for_her_state_through_run(tmp_path, shared_data,
                                                                tone_model):
    # A real State Department transcript whose text calls her "President Maia Sandu" and whose
    # title "Moldovan President Maia Sandu": the title reaches the extractor from the store.
    import gzip
    import json

    from tracker import pipeline
    from tracker.store import Store

    path = shared_data / "state_dept" / "press_releases_2021_2022.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        row = next(r for r in map(json.loads, fh) if r["id"] == "statepr-321205")
    pairs = {}
    for name, title in (("titled", row["title"]), ("untitled", None)):
        src = tmp_path / f"{name}.jsonl"
        src.write_text(json.dumps({"id": row["id"], "published": row["published"],
                                   "speaker": "USA", "title": title, "text": row["text"]}))
        pipeline.run([src], db=tmp_path / f"{name}.db", out=tmp_path / name, model=tone_model)
        with Store(tmp_path / f"{name}.db") as store:
            frame = store.statements_frame()
        pairs[name] = set(zip(frame["source"], frame["target"]))
    assert {("MDA", "USA"), ("MDA", "RUS")} <= pairs["titled"]
    # Without the title her turn speaks for no state (and never for the United States).
    assert not {("MDA", "USA"), ("MDA", "RUS")} & pairs["untitled"]
    assert ("USA", "MDA") in pairs["untitled"] and ("USA", "MDA") in pairs["titled"]
