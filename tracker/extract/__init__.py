"""Extract: sentences, country mentions, and directed statements (source -> target).

Takes an article's cleaned text (and its date, so that officials resolve only while in office)
and gives :class:`Statement` objects, each with the evidence behind it: the sentence, the
character offsets of the source and target mentions, the clause the tone model reads, and the
rule that produced it.

The rules, in the order they are applied (``docs/EXTRACTION.md`` has examples):

1. **Sentences** are split on ``.?!`` (and paragraph breaks) that are not abbreviations.
2. **Mentions** come from the gazetteer (:mod:`tracker.extract.actors`): names, official names, aliases,
   adjectives, capitals and metonyms, officials in office. Inside an article a person introduced
   with a country keeps it ("Russian Foreign Ministry spokesperson Maria Zakharova", then
   "Ms. Zakharova", then "she"); "the ministry" is the last ministry named; "the South"/"the North"
   resolve when exactly one country named "South ..."/"North ..." was mentioned; "the two
   countries"/"both sides" are the last dyad; a sentence-initial "Its" is the last subject country.
3. **Clauses**: a sentence is cut into a main clause, relative clauses (", which", ", who"),
   contrast clauses ("; ", ", while", ", but"), "after" clauses (a statement only with their own
   subject), a leading adjunct ("Since the invasion of Ukraine in 2022, ...") and a trailing
   attribution (", the ministry said"; not when the tail reports content: "said that ...").
4. **Source**: the actor before the clause's trigger verb ("said", "visited", "summoned", ...),
   or before any finite verb right after a state subject at the clause start ("Beijing has
   tightened ...", not states of mind such as "wants" or "believes"); the agent of a passive
   ("was condemned by X"); "according to X"; the speaker of a nominal statement ("a statement by
   X", "X's criticism of Y"); the antecedent of "who"/"which" when the relative clause has no
   subject of its own. An adjective alone is an actor only before an actor noun ("Russian
   diplomacy", "the South Korean official"). Non-state speakers ("analysts", "experts") give no
   statement unless ``include_nonstate``, nor does a sentence they frame (", analysts say");
   questions give none.
5. **Targets**: the other countries in the clause after the source (or before it inside a
   quotation the source reports), except those only naming a place ("met in Seoul", "Jeddah,
   Saudi Arabia"), a war or a topic ("the war in Ukraine", "a dispute over North Korea"), or a
   complement of accuse-type verbs ("accuse X of supplying weapons to Moscow": X only).
6. **Joint actions** ("met", "signed", "forged ties with", "A and B agreed") give both
   directions; so do relations ("cooperation between A and B") when nobody in the sentence
   already says something about them.

One statement is kept per (sentence, source, target): the first rule that found it.

A transcript (three or more lines opening with a speaker's label: "MS. PSAKI:", "Q") is read
turn by turn, each turn in speech mode as its own speaker's: a question speaks for no state, a
foreign leader for theirs.

Modules: ``sentences`` (splitting), ``actors`` (the gazetteer and officials; ``petrarch`` reads
PETRARCH dictionaries as extra actor files), ``lexicon`` (word lists and patterns), ``context``
and ``grammar`` (what the rules work on), ``rules`` (the rules), ``turns`` (who speaks each
turn of a transcript), ``extractor`` (articles in, statements out), ``statements`` (the output
records).
"""
from tracker.extract.actors import Gazetteer, Mention, Official
from tracker.extract.extractor import Extractor, extract_statements
from tracker.extract.lexicon import RULES_VERSION
from tracker.extract.sentences import split_sentences
from tracker.extract.statements import Extraction, Statement

__all__ = ["Extraction", "Extractor", "Gazetteer", "Mention", "Official", "RULES_VERSION",
           "Statement", "extract_statements", "split_sentences"]
