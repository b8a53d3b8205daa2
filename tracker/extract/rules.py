"""The extraction rules: actors in a sentence, clauses, sources, targets and joint acts.

The rules, with examples, are in ``docs/EXTRACTION.md``; the word lists they read are in
:mod:`tracker.extract.lexicon`."""
from __future__ import annotations

import datetime as dt

from tracker.extract.actors import Gazetteer, Mention
from tracker.extract.context import _Actor, _Context
from tracker.extract.grammar import (_NONSTATE_KEYS, _NONSTATE_STEMS, _TOPIC_LAST, _TO_WORD,
                                     _after_determiner, _after_preposition, _clauses,
                                     _coordinated, _family_name, _gender, _implicit_speaker,
                                     _inside, _last_word, _may_hold, _name_before, _np_start,
                                     _phrase_end, _quote_spans, _rank, _skip_space, _whole_words)
from tracker.extract.lexicon import (ACCORDING, ACTOR_HEADS, ANAPHORIC_OBJECT, BE_BEFORE,
                                     BY_AFTER, CITY_BEFORE, COMPOUND_RELATION, CONVERSE,
                                     COORDINATION, FINITE_AUX, GENERIC_VERB, GROUP_NOUNS,
                                     INSTITUTION, IRREGULAR_PP, ITS, JOINT_VERBS, NAME,
                                     NAME_AFTER, NOMINAL, NONSTATE, NONSTATE_SAYS, NOT_MUTUAL,
                                     NOT_NAMES, NOT_VERBS, NOUN_AFTER_ADJECTIVE, OBJECT_VERBS,
                                     PAIR_REF, PASSIVE, PASSIVE_AUX, PLACE_NOUNS,
                                     POSSESSIVE_NOMINAL, QUOTE_TAIL, RELATION, REPORTED_OPEN,
                                     SAYS_AFTER, SAYS_VERB, SIDE_BY_SIDE, SIDE_REF, SPEAKER_REF,
                                     SPEECH_WORDS, TERRITORY_TOPIC, THEIR_BOND, TITLED,
                                     TOPIC_BEFORE, TRIGGER, WITH_END, WITH_PARTNER,
                                     _INSTITUTION_KEYS, _PAIR_KEYS, _ROLE_RUN, _SPEECH_KEYS,
                                     _TITLE_KEYS, _pronouns, _speech_verbs)
from tracker.extract.statements import Statement


class SentenceRules:
    """The rules that read one sentence (mixed into :class:`~tracker.extract.Extractor`): its
    actors, clauses, sources and targets. Needs ``self.include_nonstate``."""

    # -- one sentence ---------------------------------------------------------------------------
    def _actors(self, s: str, on: dt.date | None, ctx: _Context) -> list[_Actor]:
        """Country actor phrases in sentence ``s``, with back-references resolved."""
        actors: list[_Actor] = []
        taken: list[tuple[int, int]] = []

        def free(a: int, b: int) -> bool:
            return all(b <= x or a >= y for x, y in taken)

        gaz = ctx.gaz
        for m in gaz.find_mentions(s, on, ctx.low_forms):
            if m.kind == "official":
                if m.iso3 is None:
                    continue
                actors.append(_Actor(m.start, m.end, m.iso3, m.text, True, m.person, m.gender))
                self._remember(ctx, m.person or m.text, m.iso3, m.gender)
                taken.append((m.start, m.end))
                continue
            actors.append(self._phrase(s, m, ctx, gaz))
            taken.append((actors[-1].start, actors[-1].end))
            ctx.seen_countries.add(m.iso3 or "")
            if m.text.startswith(("South ", "North ")) and m.kind in ("name", "official_name",
                                                                     "alias"):
                ctx.south_north.setdefault(m.text[:5], m.iso3 or "")
        if "-" in s:
            # "the U.S.-Japan alliance": both countries, as what the sentence is about.
            for left, right in gaz.compounds(s):
                if free(left.start, right.end) and COMPOUND_RELATION.match(s, right.end):
                    for m in (left, right):
                        actors.append(_Actor(m.start, m.end, m.iso3 or "", m.text, False,
                                             resolved="compound"))
                    taken.append((left.start, right.end))
        # Back-references, only where nothing else already stands.
        # (Each back-reference is looked for only when the article has given it something to
        # refer to.)
        for m in TITLED.finditer(s) if ctx.persons and _may_hold(s, _TITLE_KEYS) else ():
            name = m.group("name")
            hit = self._person(ctx, name)
            if hit and free(m.start(), m.end()):
                actors.append(_Actor(m.start(), m.end(), hit[0], m.group(0), True, name,
                                     hit[1] or _gender(m.group("title")), "person"))
                taken.append((m.start(), m.end()))
        for name, surname, iso3, gender in ctx.family_names:
            if surname not in s:
                continue
            for a, b in _whole_words(s, surname):
                if free(a, b):
                    actors.append(_Actor(a, b, iso3, surname, True, name, gender, "person"))
                    taken.append((a, b))
        for p0, p1 in _pronouns(s) if ctx.last_person else ():
            if not free(p0, p1):
                continue
            word = s[p0:p1]
            want = {"he": "m", "she": "f"}.get(word.lower())
            # The latest person the pronoun can stand for (same or unknown gender). If that is
            # someone who speaks for no state (an analyst named earlier), the pronoun is theirs.
            people = reversed(ctx.last_person)
            if ctx.last_speaker and QUOTE_TAIL.search(s, 0, p0) and SAYS_AFTER.match(s, p1):
                # '"...," he added' goes on with the quotation's speaker, whoever was named
                # inside it.
                people = [ctx.last_speaker, *people]
            for name, iso3, gender in people:
                if want is None or gender in (None, want):
                    if iso3:
                        actors.append(_Actor(p0, p1, iso3, word, True, name, gender,
                                             "pronoun"))
                        taken.append((p0, p1))
                    break
        for m in INSTITUTION.finditer(s) if ctx.last_ministry and _may_hold(
                s, _INSTITUTION_KEYS) else ():
            if ctx.last_ministry and free(m.start(), m.end()) and "ministry" in m.group(0).lower():
                actors.append(_Actor(m.start(), m.end(), ctx.last_ministry, m.group(0), True,
                                     resolved="ministry"))
                taken.append((m.start(), m.end()))
        for m in SIDE_REF.finditer(s) if ctx.south_north and _may_hold(
                s, ("the South", "the North")) else ():
            iso3 = ctx.south_north.get(m.group("side"))
            if iso3 and free(m.start(), m.end()):
                actors.append(_Actor(m.start(), m.end(), iso3, m.group(0), True,
                                     resolved="side"))
                taken.append((m.start(), m.end()))
        for m in PAIR_REF.finditer(s) if ctx.last_pair and _may_hold(s, _PAIR_KEYS) else ():
            if ctx.last_pair and free(m.start(), m.end()):
                for iso3 in ctx.last_pair:
                    actors.append(_Actor(m.start(), m.end(), iso3, m.group(0), True,
                                         resolved="pair"))
                taken.append((m.start(), m.end()))
        if ctx.speaker:
            # In a speech, "we", "my delegation" and "our country" are the speaking state.
            for m in SPEAKER_REF.finditer(s):
                if free(m.start(), m.end()):
                    actors.append(_Actor(m.start(), m.end(), ctx.speaker, m.group(0), True,
                                         resolved="speaker"))
                    taken.append((m.start(), m.end()))
        m = ITS.match(s) if s[:1] in "IT" or s[:1].isspace() else None
        if m and ctx.last_subject_country and free(m.start(), m.end()):
            actors.append(_Actor(m.start(), m.end(), ctx.last_subject_country, m.group(0).strip(),
                                 False, resolved="its"))
        if ctx.last_person and _may_hold(s, _SPEECH_KEYS):
            # A named speaker who is none of the actors ("Bagci said", "said Daniel Sneider")
            # speaks for no state: a later "he" is theirs, not the last official's.
            for v_start, v_end, verb in _speech_verbs(s):
                found = _name_before(s, v_start)
                if found is None and verb in ("said", "says", "added", "wrote"):
                    m = NAME_AFTER.match(s, v_end)
                    found = (m.group("name"), m.start("name")) if m else None
                if found is None:
                    continue
                name, at = found
                if free(at, at + len(name)):
                    if name.split()[0] not in NOT_NAMES:
                        ctx.last_person = [p for p in ctx.last_person if p[0] != name] + [
                            (name, "", None)]
                        ctx.last_speaker = (name, "", None)
                    continue
                # A state's person speaking ("Lavrov said"): theirs is the next '"...," he said'.
                who = next((a for a in actors if a.person and a.start < at + len(name)
                            and at < a.end), None)
                if who:
                    ctx.last_speaker = (who.person, who.iso3, who.gender)
        if len(actors) < 2:
            return actors
        actors.sort(key=lambda x: (x.start, -x.end))
        # An official inside a grown phrase ("South Korean President Yoon Suk-yeol") is one actor.
        kept: list[_Actor] = []
        for a in actors:
            if kept and a.start >= kept[-1].start and a.end <= kept[-1].end \
                    and a.iso3 == kept[-1].iso3 and a.resolved != "pair":
                if a.person and not kept[-1].person:
                    kept[-1].person, kept[-1].gender = a.person, a.gender
                continue
            kept.append(a)
        # Coordinated adjectives share the head noun: "Russian and DPRK leaders", "U.S. and
        # Iraqi officials" are two actors. (Walk right to left: "French, German and British
        # officials".)
        for a, b in zip(reversed(kept[:-1]), reversed(kept[1:])):
            if not a.is_actor and not a.excluded and a.iso3 and b.is_actor and not b.resolved \
                    and b.person is None and COORDINATION.fullmatch(s, a.end, b.start):
                a.is_actor = True
        return kept

    def _phrase(self, s: str, m: Mention, ctx: _Context, gaz: Gazetteer) -> _Actor:
        """Grow a country mention into its actor phrase: "Russian Deputy Foreign Minister Andrei
        Rudenko", "the South Korean Foreign Ministry", "China's foreign ministry"."""
        start, end = m.start, m.end
        if m.iso3 in gaz.territories and TERRITORY_TOPIC.search(
                s, max(0, start - 40), start):
            return _Actor(start, end, m.iso3, s[start:end], False, excluded="territory")
        if _last_word(s, start) == "former":
            # "a former State Department official" speaks for no state and is no target.
            return _Actor(start, end, m.iso3 or "", s[start:end], False, excluded="former")
        if GROUP_NOUNS.match(s, end):
            # "Ivory Coast rebels": a non-state group, neither the state nor its target.
            return _Actor(start, end, m.iso3 or "", s[start:end], False, excluded="group")
        if m.kind == "adjective" and PLACE_NOUNS.match(s, end):
            return _Actor(start, end, m.iso3 or "", s[start:end], False, excluded="place")
        before = start - 1
        while before >= 0 and s[before].isspace():
            before -= 1
        city = CITY_BEFORE.search(s, max(0, start - 60), start) \
            if before >= 0 and s[before] == "," else None
        if city and not gaz.is_form(city.group("city")):
            return _Actor(start, end, m.iso3 or "", s[start:end], False, excluded="place")
        is_actor = m.kind != "adjective"
        if not is_actor and m.text.endswith("s") and TRIGGER.match(s, _skip_space(s, end)):
            # A plural demonym right before a verb acts: "Palestinians blamed Israel".
            is_actor = True
        roles = _ROLE_RUN.match(s, end + 2 if s.startswith("'s", end) else end)
        if roles and roles.end() > roles.start():
            end = roles.end()
            head_seen = any(w.lower() in ACTOR_HEADS for w in roles.group().split())
            # A person's name right after the role: "... spokesperson Maria Zakharova".
            name = NAME.match(s, _skip_space(s, end))
            person = None
            if name and head_seen:
                person = name.group(0)
                end = name.end()
                gender = self._gender_of(person)
                self._remember(ctx, person, m.iso3 or "", gender)
            if head_seen and "ministry" in s[m.end:end].lower():
                ctx.last_ministry = m.iso3
            return _Actor(start, end, m.iso3 or "", s[start:end], is_actor or head_seen, person)
        # Apposition: "Andrei Rudenko, Russian Deputy Foreign Minister" is handled by officials;
        # a country name, capital or metonym alone is an actor ("Seoul summoned ...").
        return _Actor(start, end, m.iso3 or "", s[start:end], is_actor)

    def _gender_of(self, name: str) -> str | None:
        off = self.gaz.official(name)
        return off.gender if off else None

    @staticmethod
    def _remember(ctx: _Context, name: str, iso3: str, gender: str | None) -> None:
        if not iso3:
            return
        entry = (name, _family_name(name, iso3), iso3, gender)
        if name in ctx.persons:
            ctx.family_names = [entry if p[0] == name else p for p in ctx.family_names]
        else:
            ctx.family_names.append(entry)
        ctx.persons[name] = (iso3, gender)
        ctx.last_person = [p for p in ctx.last_person if p[0] != name] + [(name, iso3, gender)]

    @staticmethod
    def _person(ctx: _Context, name: str) -> tuple[str, str | None] | None:
        for known, value in ctx.persons.items():
            if known == name or _family_name(known, value[0]) == name.split()[-1]:
                return value
        return None

    def _sentence(self, s: str, on: dt.date | None, ctx: _Context):
        actors = ctx.actors = self._actors(s, on, ctx)  # (also read by _Quotation)
        if not actors:
            return []
        ctx.sentences_with_country += 1
        if not ctx.speaker and s.rstrip('"\' )').endswith("?"):
            # A question asserts nothing: "How concerned are you about ties between A and B?"
            return []
        framed = NONSTATE_SAYS.search(s) if not self.include_nonstate and not ctx.speaker \
            and _may_hold(s, _NONSTATE_KEYS) else None
        if framed:
            # ", analysts say": the sentence is a non-state speaker's claim, from the dash,
            # semicolon or "a move" before it if there is one ("... upgraded their ties — a
            # move analysts say ..."), else whole.
            cut = max(s.rfind("\u2014", 0, framed.start()), s.rfind(" - ", 0, framed.start()),
                      s.rfind(";", 0, framed.start()), s.rfind(" a move ", 0, framed.start()))
            actors = [a for a in actors if a.end <= cut]
            if not actors:
                return []
        countries = {a.iso3 for a in actors}
        if ctx.speaker is None and len(countries) < 2 and not any(
                a.resolved == "pair" for a in actors):
            # One country can give no dyad (back-references resolve only to countries already
            # named, and a pair reference stands for two); only "its" of the next sentence is
            # at stake: the subject, if the sentence opens with an actor of this country.
            first = actors[0]
            verb = None
            if first.is_actor and first.start < 60:
                verb = TRIGGER.match(s, _skip_space(s, first.end)) \
                    or GENERIC_VERB.match(s, first.end)
                if verb:
                    ctx.last_subject_country = first.iso3
            other = ctx.counterpart(first.iso3) \
                if verb and ANAPHORIC_OBJECT.match(s, verb.end()) else None
            if other:
                # "Sharif's administration rejected the resolution": in a story about Pakistan
                # and the United States, the resolution is the other side's.
                word = verb.group("verb") or verb.groupdict().get("ing") or ""
                return [(first, [_Actor(first.end, first.end, other, "", False,
                                        resolved="story")], (first.start, len(s)),
                         f"story:{word.lower()}")]
            return []
        results: list[tuple[_Actor, list[_Actor], tuple[int, int], str]] = []
        consumed: set[int] = set()  # ids of actors already used as a nested statement's target

        # Nominal statements nested in the sentence: "Yoon's description of the North".
        for m in POSSESSIVE_NOMINAL.finditer(s) if "'s" in s else ():
            speaker = [a for a in actors if a.end <= m.start() + 1 and m.start() - a.end < 3]
            objs = [a for a in actors if a.start >= m.end() and a.start - m.end() < 8]
            if speaker and objs:
                end = _phrase_end(s, objs[0].end)
                results.append((speaker[-1], [objs[0]], (speaker[-1].start, end),
                                "nominal:" + m.group(0).split()[-2]))
                consumed.add(id(objs[0]))

        prev_subject = None
        clauses = _clauses(s)
        # '..., Chinese Foreign Ministry spokesman Lin Jian said.': the speaker of what precedes.
        attributed = ([], None, "", None)
        for (a0, a1), kind in clauses:
            if kind == "attribution":
                in_tail = [a for a in actors if a0 <= a.start and a.end <= a1]
                attributed = self._source(s, a0, a1, in_tail, "main", None)
        antecedent = None
        previous_kind = ""
        for (c0, c1), kind in clauses:
            clause_actors = [a for a in actors if c0 <= a.start and a.end <= c1]
            if kind in ("adjunct", "attribution"):
                continue
            subject_hint = prev_subject if kind in ("continued", "after") else None
            if kind == "continued" and previous_kind in ("which", "who") and antecedent:
                # "Russia, which invaded Ukraine, warned Japan": back to the antecedent.
                subject_hint = antecedent
            previous_kind = kind
            if kind in ("which", "who"):
                # The antecedent is the actor right before ", which" / ", who".
                prior = [a for a in actors if a.end <= c0 and c0 - a.end <= 4]
                subject_hint = antecedent = prior[-1] if prior else None
            subjects, verb, rule, obj = self._source(s, c0, c1, clause_actors, kind,
                                                     subject_hint, speech=bool(ctx.speaker))
            if not subjects and attributed[0] and kind == "main":
                subjects, verb, rule, obj = attributed
            if not subjects:
                if not ctx.speaker or kind not in ("main", "continued"):
                    continue
                # In a speech every sentence is the speaker's, unless a state is its subject.
                subjects = [_implicit_speaker(ctx.speaker, c0)]
                rule = "speech:speaker"
            verb_at = c0 + max(s[c0:c1].find(verb), 0) if verb else c0
            joint = bool(verb and JOINT_VERBS.match(verb)) or (
                len(subjects) > 1 and verb is not None and "their" in s[c0:c1]
                and THEIR_BOND.match(s, verb_at + len(verb)))
            # "refused to meet Greece" is not mutual.
            one_sided = bool(joint and NOT_MUTUAL.search(s[c0:verb_at]))
            found_before = len(results)
            for src in subjects:
                targets = self._targets(s, c0, c1, clause_actors, src, verb, obj, consumed,
                                        subjects)
                by_country: dict[str, list[_Actor]] = {}
                for t in targets:
                    if not any(t is x for x in subjects):
                        by_country.setdefault(t.iso3, []).append(t)
                for group in by_country.values():
                    results.append((src, group, (c0, c1), rule))
                    # "signed an accord to supply Gondor": the counterpart of a purpose clause.
                    between = s[verb_at + len(verb):group[0].start] if joint else ""
                    mutual = joint and not one_sided and len(by_country) == 1 \
                        and not _TO_WORD.search(between) \
                        and (verb not in CONVERSE or WITH_END.search(between) is not None)
                    if mutual:
                        results.append((group[0], [src], (c0, c1),
                                        rule.replace(":", ":joint-", 1)))
                if joint and len(subjects) > 1 and not (by_country and verb in SIDE_BY_SIDE):
                    # "A and B signed an agreement": both directions between the subjects.
                    # (Not when they stand together against a third: "France, along with
                    # Egypt, faced off against Turkey".)
                    for other in subjects:
                        if other.iso3 != src.iso3:
                            results.append((src, [other], (c0, c1),
                                            rule.replace(":", ":joint-", 1)))
            if ctx.speaker and len(results) == found_before and kind in ("main", "continued"):
                # In a speech, a clause about another state that targets nobody ("India has
                # not accepted this offer") is the speaker's statement about that state.
                others = [x for x in subjects if x.iso3 and x.iso3 != ctx.speaker]
                if others:
                    results.append((_implicit_speaker(ctx.speaker, c0), others, (c0, c1),
                                    "speech:speaker"))
            if kind in ("main", "continued"):
                prev_subject = subjects[0]
            if rule.startswith("speech:") and subjects[0].person:
                ctx.last_speaker = (subjects[0].person, subjects[0].iso3, subjects[0].gender)
            if kind == "main" and subjects[0].iso3:
                # The subject country of this sentence is the "Its" of the next.
                ctx.last_subject_country = subjects[0].iso3
        # "the two countries" means the dyad this sentence is about, else the previous one.
        # (A dyad the pair reference itself takes part in says nothing about which it is.)
        own = next(((src.iso3, tgt[0].iso3) for src, tgt, _, _ in results
                     if src.resolved != "pair" and tgt[0].resolved != "pair"), None)
        if own:
            for i, ref in enumerate(a for a in actors if a.resolved == "pair"):
                ref.iso3 = own[i % 2]
        # Relations: "cooperation between Moscow and Pyongyang" -> both directions, when no
        # speaker or agent of the sentence already says something about them.
        for m in RELATION.finditer(s) if not results and _may_hold(s, ("between", "among")) \
                else ():
            after = [a for a in actors if a.start >= m.end() and a.start - m.end() < 40]
            if len(after) >= 2 and after[0].resolved == after[1].resolved == "pair":
                a, b = after[0], after[1]
            elif len(after) >= 2 and " and " in s[after[0].end:after[1].start] \
                    and after[0].iso3 != after[1].iso3:
                a, b = after[0], after[1]
            else:
                continue
            span, rule = (_np_start(s, m.start()), b.end), f"relation:{m.group(0).split()[0].lower()}"
            results += [(a, [b], span, rule), (b, [a], span, rule)]
        return sorted(results, key=lambda r: _rank(r[3]))

    def _source(self, s, c0, c1, clause_actors, kind, subject_hint, speech=False):
        """(source actors, trigger verb, rule, object actor) of one clause; no source: []."""
        text = s[c0:c1]
        none = [], None, "", None
        # Passive: "was condemned by X".
        m = PASSIVE.search(text) if _may_hold(text, ("by", "By", "BY")) else None
        if m:
            agents = [a for a in clause_actors if a.start >= c0 + m.end()
                      and a.start - (c0 + m.end()) < 6 and a.is_actor]
            if agents:
                verb = m.group(0).split()[-2]
                # The passive's subject is its target: "Japan was criticized by China".
                # (Its subject: not a place or anything after a preposition.)
                patient = [a for a in clause_actors if a.end <= c0 + m.start() and a.iso3
                           and not a.excluded and a.iso3 != agents[0].iso3
                           and not _after_preposition(s, a.start)]
                return _coordinated(s, agents[0], clause_actors), verb, f"passive:{verb}", \
                    patient[0] if patient else None
        for pat, rule, keys in ((NOMINAL, "nominal", ("by", "from")),
                                (ACCORDING, "according", ("ccording", "CCORDING"))):
            m = pat.search(text) if _may_hold(text, keys) else None
            if m:
                agents = [a for a in clause_actors if a.start >= c0 + m.end()
                          and a.start - (c0 + m.end()) < 4 and (a.is_actor or a.person)]
                if agents:
                    word = m.group(0).split()[0].lower()
                    return [agents[0]], None, f"{rule}:{word}", None
        quotes = _quote_spans(s)
        # Reported speech: the first verb outside the quotation marks ('"...," the minister
        # said'), else the first verb. (The scan stops at the first verb outside quotes.)
        trig = first = None
        for t in TRIGGER.finditer(text):
            if t.start() == t.start("verb") and _after_determiner(s, c0 + t.start()):
                continue  # a noun: "Washington's support", "the attack on Ukraine"
            if t.group("verb").endswith("s") and NOUN_AFTER_ADJECTIVE.search(
                    s, max(0, c0 + t.start() - 40), c0 + t.start()) and any(
                    not a.is_actor and a.end == c0 + t.start() - 1 for a in clause_actors):
                continue  # a noun: "comment on the Iraqi claims", "the U.S. sanctions"
            first = first or t
            if not _inside(c0 + t.start("verb"), quotes):
                trig = t
                break
        if first is None:
            # In a speech, "Ukraine deserves peace" is the speaker's statement about Ukraine.
            return none if speech else self._subject_verb(s, c0, c1, clause_actors, kind) \
                or self._partner_subject(s, c0, c1, clause_actors, kind, subject_hint) or none
        trig = trig or first
        verb = trig.group("verb")
        vpos = c0 + trig.start()
        if PASSIVE_AUX.search(trig.group(0)) and (verb.endswith("ed") or verb in IRREGULAR_PP):
            # "Three servicemen were killed in Iraq": the subject suffered, nobody is named as
            # acting (an agent with "by" was handled above).
            return none
        if (verb.endswith("ed") or verb in IRREGULAR_PP) and BY_AFTER.match(s, c0 + trig.end()):
            # A participle with its agent ("Somali soldiers, supported by the U.S. military",
            # "a fight joined by Brunei"): the agent acts toward the actor the participle
            # describes, and no one else acts here.
            head = [a for a in clause_actors if a.end <= vpos and vpos - a.end <= 3]
            stop = s.find(",", c0 + trig.end(), c1)
            agents = [a for a in clause_actors if c0 + trig.end() <= a.start
                      and (stop < 0 or a.start < stop) and a.is_actor]
            if head and agents:
                return _coordinated(s, agents[0], clause_actors), verb, f"passive:{verb}", \
                    head[-1]
            return none
        quoted_verb = _inside(vpos, quotes)
        # Subjects are outside quotes and not the object of a preposition ("ambassador to Kenya").
        before = [a for a in clause_actors if a.end <= vpos
                  and (quoted_verb or not _inside(a.start, quotes))
                  and not _after_preposition(s, a.start)]
        obj = None
        if kind in ("which", "who"):
            own = [a for a in before if a.is_actor or a.person]
            if own:
                # "..., which South Korea and Washington accuse of ...": own subject, the
                # antecedent is the object.
                subj, obj = own[0], subject_hint
            elif subject_hint is not None:
                subj = subject_hint
            else:
                return none
        else:
            nonstate = NONSTATE.search(s, c0, vpos) if _may_hold(
                s[c0:vpos].lower(), _NONSTATE_STEMS) else None
            if nonstate and not self.include_nonstate:
                # The speaker is not a state: an analyst's claim is no country statement.
                first_actor = next((a for a in before if a.is_actor), None)
                if first_actor is None or nonstate.start() < first_actor.start:
                    return none
            agents = [a for a in before if a.is_actor or a.person or a.resolved == "its"]
            if not agents:
                if subject_hint is not None and (kind == "continued" or (
                        kind == "after" and verb.endswith("ing")
                        and s[c0:vpos].strip().lower() in ("after", ""))):
                    # ("..., after meeting with U.S. President Joe Biden": the participle's
                    # subject is the main clause's.)
                    agents = [subject_hint]
                elif verb in SPEECH_WORDS and (inner := self._reported_subject(
                        s, c0 + trig.end(), c1, clause_actors)):
                    # "Kariuki said Britain will take measures to prevent Iran ...": a speaker
                    # who is no state reports what a state does; the state is the source.
                    return [inner], verb, f"speech:{verb}", None
                else:
                    return none
            subj = agents[0]
            if subj.resolved == "its":
                # "Its leader Kim Jong Un": the actor after the possessive speaks.
                nxt = [a for a in agents[1:] if a.is_actor]
                subj = nxt[0] if nxt else subj
        kind_word = "speech" if verb in SPEECH_WORDS else "action"
        return _coordinated(s, subj, before), verb, f"{kind_word}:{verb}", obj

    @staticmethod
    def _reported_subject(s, pos, c1, clause_actors):
        """The state subject opening a reported clause at ``pos`` ("... said [that] Britain
        will take ..."), if a verb follows it."""
        m = REPORTED_OPEN.match(s, pos)
        start = m.end() if m else pos
        for a in clause_actors:
            if a.start < start:
                continue
            if a.start != start or not (a.is_actor or a.person) or a.excluded:
                return None
            nxt = GENERIC_VERB.match(s, a.end) or FINITE_AUX.match(s, a.end) \
                or TRIGGER.match(s, _skip_space(s, a.end))
            return a if nxt and nxt.end() <= c1 else None
        return None

    def _subject_verb(self, s, c0, c1, clause_actors, kind):
        """A verb outside the word lists right after a state subject at the clause's start:
        "Britain officially took ownership of ...", "Beijing has tightened ...". Returns
        (sources, verb, rule, None) or None."""
        if kind not in ("main", "continued", "after"):
            return None
        for a in clause_actors:
            if a.start - c0 > 40:
                return None
            if not (a.is_actor or a.person) or a.excluded or a.resolved in ("pair",):
                continue
            if _after_preposition(s, a.start):
                continue
            group = _coordinated(s, a, clause_actors)
            # (The verb comes after all the subjects: "Duterte and Suga spoke by phone".)
            m = GENERIC_VERB.match(s, group[-1].end)
            if m and m.end() <= c1 and (m.group("verb") or m.group("ing")) not in NOT_VERBS:
                verb = m.group("verb") or m.group("ing")
                if m.group("verb") and BE_BEFORE.search(s, m.start(), m.start("verb")):
                    # A passive ("He was credited with taking Albania into NATO"): the
                    # subject is acted on, and nobody is named acting.
                    return None
                return group, verb, f"action:{verb}", None
            return None
        return None

    @staticmethod
    def _partner_subject(s, c0, c1, clause_actors, kind, subject_hint):
        """Talks with a partner under a verb outside the word lists ("Rubio will join Waltz
        for the Jeddah talks with Ukrainian officials"): the state subject before the talks
        meets the actor right after them. Returns (sources, noun, rule, None) or None."""
        if kind not in ("main", "continued", "after") or "with" not in s[c0:c1]:
            return None
        for m in WITH_PARTNER.finditer(s, c0, c1):
            if not any(a.start == m.end() and a.iso3 for a in clause_actors):
                continue
            before = [a for a in clause_actors if a.end <= m.start() and (a.is_actor or a.person)
                      and not a.excluded and a.resolved != "pair"
                      and not _after_preposition(s, a.start)]
            noun = m.group("noun")
            if before:
                return _coordinated(s, before[0], clause_actors), noun, f"action:{noun}", None
            if kind == "after" and subject_hint is not None \
                    and s[c0:m.start()].strip().lower() == "after":
                # "Lavrov spoke to reporters after talks with Wang Yi": the main subject's.
                return [subject_hint], noun, f"action:{noun}", None
        return None

    def _targets(self, s, c0, c1, clause_actors, src, verb, obj, consumed, subjects=()):
        if obj is not None:
            return [obj] + [a for a in clause_actors if a.iso3 == obj.iso3 and a is not obj]
        out = []
        quotes = _quote_spans(s)
        place = None  # the last actor left out as a place or a topic
        for a in clause_actors:
            if a is src or a.iso3 == src.iso3 or id(a) in consumed or not a.iso3 or a.excluded \
                    or any(a is x for x in subjects):
                # (A co-subject is no target: "U.S. and Iraqi officials described ...".)
                continue
            # Before the source only inside a quotation it reports: '"We reject the
            # allegations made by Pakistan," the Indian spokesperson told reporters.'
            before = a.start < src.start and c0 <= src.start < c1 and not (
                _inside(a.start, quotes) and not _inside(src.start, quotes))
            if a.resolved in ("its", "pronoun") or before:
                # A pronoun is resolved only as a speaker; as a target it is too often wrong.
                continue
            # "in Seoul" is a place, but "in Washington's games" names an actor.
            if _last_word(s, a.start) in _TOPIC_LAST \
                    and TOPIC_BEFORE.search(s[max(c0, a.start - 40):a.start]) \
                    and not s.startswith("'s", a.end):
                place = a
                continue
            if place is not None and COORDINATION.fullmatch(s, place.end, a.start) \
                    and not s.startswith("'s", a.end):
                # "attacks in Iraq and Syria": a place or topic joined to one is one too.
                place = a
                continue
            place = None
            out.append(a)
        if verb and OBJECT_VERBS.match(verb) and out:
            # "accuse X of supplying weapons to Moscow": only X, and those joined to it
            # ("credited Britain and France for ...").
            first = out[0]
            joined = _coordinated(s, first, out)
            out = [a for a in out if a.iso3 == first.iso3 or any(a is j for j in joined)]
        return out


def _statement(article_id: str, index: int, a: int, b: int, sentence: str, src: _Actor,
               src_base: int, tgt: list[_Actor], clause: tuple[int, int], rule: str) -> Statement:
    """A Statement of sentence ``index`` (``[a, b)`` in the article): actor offsets are relative
    to their sentence, which starts at ``a`` for the targets and at ``src_base`` for the
    source."""
    return Statement(
        article_id=article_id, sentence_index=index, sentence_start=a, sentence_end=b,
        sentence=sentence, source=src.iso3, target=tgt[0].iso3,
        source_spans=((src_base + src.start, src_base + src.end),) if src.end > src.start else (),
        target_spans=tuple((a + t.start, a + t.end) for t in tgt if t.end > t.start),
        clause_start=a + clause[0], clause_end=a + clause[1], rule=rule, source_text=src.text,
        target_text=tgt[0].text)


class _Quotation:
    """A quotation running over several sentences, whose speaker is named only where it
    closes: '"We have to understand that Vladimir Putin is the aggressor. ... So we will
    see," the U.S. envoy told reporters.' The sentences before the close give statements
    from that speaker (rule ``quote:<verb>``) toward the countries they name."""

    def __init__(self) -> None:
        self.inside = False
        self.pending: list[tuple[int, int, int, str, list[_Actor]]] = []
        self.named = False
        self.emitted = False

    def follow(self, article_id, index, a, b, s, found, ctx) -> list[Statement]:
        if not self.inside and '"' not in s and "\u201c" not in s and "\u201d" not in s:
            return []  # (most sentences: no quotation anywhere near)
        was_inside = self.inside
        opening, closing = s.rfind("\u201c"), s.rfind("\u201d")
        if opening >= 0 or closing >= 0:
            self.inside = opening > closing
        elif s.count('"') % 2:
            self.inside = not self.inside
        if self.inside:
            if not was_inside:
                # Opening here: a speaker named before the quotation mark ('Chong told VOA,
                # "...') is the quotation's, so the close names nobody new.
                mark = max(s.rfind("\u201c"), s.rfind('"'))
                self.named = bool(SAYS_VERB.search(s, 0, max(mark, 0)) or
                                  s[:max(mark, 0)].rstrip().endswith(":"))
            # Goes on past this sentence: keep it unless it has statements of its own.
            if not found and not self.named and any(x.iso3 for x in ctx.actors):
                self.pending.append((index, a, b, s, ctx.actors))
            return []
        pending, self.pending = self.pending, []
        if not was_inside or not pending:
            return []
        close = max(s.rfind("\u201d"), s.rfind('"'))
        verb = SAYS_VERB.search(s, close + 1) if close >= 0 else None
        speaker = next((x for x in ctx.actors if x.start > close and x.iso3 and not x.excluded
                        and (x.is_actor or x.person)), None) if verb else None
        if speaker is None:
            return []
        out = []
        for i, a0, b0, text, actors in pending:
            seen = {speaker.iso3}
            for t in actors:
                if t.iso3 in seen or t.excluded or t.resolved in ("its", "pronoun") or (
                        _last_word(text, t.start) in _TOPIC_LAST
                        and TOPIC_BEFORE.search(text[max(0, t.start - 40):t.start])):
                    continue
                seen.add(t.iso3)
                # (The speaker stands in the closing sentence, which starts at ``a``.)
                out.append(_statement(article_id, i, a0, b0, text, speaker, a,
                                      [t] + [x for x in actors if x.iso3 == t.iso3 and x is not t],
                                      (0, b0 - a0),
                                      f"quote:{verb.group(0).lower()}"))
        self.emitted = self.emitted or bool(out)
        return out
