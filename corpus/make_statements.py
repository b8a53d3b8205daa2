"""Generate the project's own training corpus of directed inter-state statements.

Deterministic (seeded): ``python corpus/make_statements.py`` rewrites
``corpus/statements.jsonl`` byte for byte.  The corpus mixes hand-written
sentences (``HAND``) with many small sentence templates whose country pairs are
drawn from plausible relationship pools (rivals, partners, donors, ...), so that
hostile templates are not filled with absurd pairs.  Every record is validated
before writing (mentions occur verbatim, source and target mentions never
overlap, tone agrees with label, ISO3 codes are known, no duplicate
(text, target) pairs).

Training data only: nothing here is taken from the evaluation sets.
"""
from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20240607
HERE = Path(__file__).resolve().parent
OUT = HERE / "statements.jsonl"

LABELS = ("hostile", "neutral", "cooperative")
CATEGORIES = (
    "aid", "alliance", "agreement", "visit", "consultation", "request", "praise",
    "criticism", "accusation", "protest", "summon", "sanction", "threat",
    "mobilisation", "strike", "neutral_report", "mixed", "hedged",
)


# --------------------------------------------------------------------------
# Countries.  Surface forms are (text, mention) pairs; the mention is the part
# that names the country or its actor (leading articles dropped).
# --------------------------------------------------------------------------
@dataclass
class Country:
    iso: str
    name: str            # object form, may start with "the"
    adj: str
    capital: str
    leader: str = ""     # "Chinese President Xi Jinping"
    fm: str = ""         # "Chinese Foreign Minister Wang Yi"
    ministry: str = ""   # "China's foreign ministry"
    poss: str = ""       # "China's"
    extra_subj: list = field(default_factory=list)   # extra institutional subjects
    extra_person: list = field(default_factory=list)  # extra people (spokespeople...)
    extra_obj: list = field(default_factory=list)
    mil: list = field(default_factory=list)

    def __post_init__(self):
        bare = self.name[4:] if self.name.startswith("the ") else self.name
        if not self.poss:
            self.poss = bare + ("'" if bare.endswith("s") else "'s")
            if self.name.startswith("the "):
                self.poss = "the " + self.poss
        if not self.ministry:
            self.ministry = f"{self.poss} foreign ministry"
        if not self.mil:
            self.mil = [f"the {self.adj} military", f"{self.adj} forces", f"the {self.adj} armed forces"]


def C(iso, name, adj, capital, leader="", fm="", **kw):
    return Country(iso, name, adj, capital, leader, fm, **kw)


COUNTRIES = [
    C("USA", "the United States", "U.S.", "Washington", "U.S. President Joe Biden",
      "Secretary of State Antony Blinken", ministry="the U.S. State Department", poss="Washington's",
      extra_subj=["the White House", "the Biden administration"],
      extra_person=["State Department spokesman Matthew Miller", "U.S. officials", "White House national security spokesman John Kirby"],
      extra_obj=["the Biden administration", "the U.S. government"],
      mil=["the Pentagon", "the U.S. military", "U.S. forces"]),
    C("RUS", "Russia", "Russian", "Moscow", "Russian President Vladimir Putin",
      "Russian Foreign Minister Sergei Lavrov",
      extra_subj=["the Kremlin"],
      extra_person=["Kremlin spokesman Dmitry Peskov", "Russian Foreign Ministry spokeswoman Maria Zakharova", "Russian officials"],
      extra_obj=["the Kremlin"],
      mil=["the Russian military", "Russia's defence ministry", "Russian forces"]),
    C("CHN", "China", "Chinese", "Beijing", "Chinese President Xi Jinping",
      "Chinese Foreign Minister Wang Yi",
      extra_person=["Chinese foreign ministry spokesperson Mao Ning", "Chinese officials", "foreign ministry spokesman Wang Wenbin"],
      extra_obj=["the Chinese government"],
      mil=["the People's Liberation Army", "the Chinese military", "China's defence ministry"]),
    C("GBR", "Britain", "British", "London", "British Prime Minister Rishi Sunak",
      "Foreign Secretary David Cameron", ministry="Britain's Foreign Office",
      extra_subj=["the British government"], extra_person=["British officials", "a Downing Street spokesman"],
      extra_obj=["the British government", "the United Kingdom"],
      mil=["the British military", "Britain's Ministry of Defence", "British forces"]),
    C("FRA", "France", "French", "Paris", "French President Emmanuel Macron",
      "French Foreign Minister Stephane Sejourne",
      extra_subj=["the Elysee Palace", "the Quai d'Orsay"], extra_person=["French officials"],
      extra_obj=["the French government"]),
    C("DEU", "Germany", "German", "Berlin", "German Chancellor Olaf Scholz",
      "German Foreign Minister Annalena Baerbock",
      extra_subj=["the German government"], extra_person=["German officials", "a German government spokesman"],
      extra_obj=["the German government"], mil=["the Bundeswehr", "the German military"]),
    C("JPN", "Japan", "Japanese", "Tokyo", "Japanese Prime Minister Fumio Kishida",
      "Japanese Foreign Minister Yoko Kamikawa",
      extra_subj=["the Japanese government"],
      extra_person=["Chief Cabinet Secretary Yoshimasa Hayashi", "Japanese officials"],
      extra_obj=["the Japanese government"],
      mil=["Japan's Self-Defense Forces", "Japan's defence ministry"]),
    C("KOR", "South Korea", "South Korean", "Seoul", "South Korean President Yoon Suk Yeol",
      "South Korean Foreign Minister Cho Tae-yul",
      extra_subj=["Seoul's unification ministry", "the South Korean government"],
      extra_person=["South Korean officials", "a presidential official in Seoul"],
      extra_obj=["the South Korean government"],
      mil=["South Korea's Joint Chiefs of Staff", "the South Korean military"]),
    C("PRK", "North Korea", "North Korean", "Pyongyang", "North Korean leader Kim Jong Un",
      "North Korean Foreign Minister Choe Son Hui",
      extra_subj=["North Korea's state media", "the North Korean regime"],
      extra_person=["Kim Yo Jong, the powerful sister of the North Korean leader", "North Korean officials"],
      extra_obj=["the North Korean regime"],
      mil=["the North Korean military", "North Korea's Korean People's Army"]),
    C("IND", "India", "Indian", "New Delhi", "Indian Prime Minister Narendra Modi",
      "External Affairs Minister S. Jaishankar", ministry="India's external affairs ministry",
      extra_person=["Indian officials", "Indian foreign ministry spokesman Randhir Jaiswal"],
      extra_obj=["the Indian government"], mil=["the Indian army", "Indian forces"]),
    C("PAK", "Pakistan", "Pakistani", "Islamabad", "Pakistani Prime Minister Shehbaz Sharif",
      "", ministry="Pakistan's foreign office",
      extra_person=["Pakistani officials", "foreign office spokeswoman Mumtaz Zahra Baloch"],
      extra_obj=["the Pakistani government"], mil=["the Pakistani military", "Pakistan's army"]),
    C("IRN", "Iran", "Iranian", "Tehran", "Iranian President Ebrahim Raisi",
      "Iranian Foreign Minister Hossein Amir-Abdollahian",
      extra_subj=["the Islamic Republic"],
      extra_person=["Iranian officials", "Supreme Leader Ayatollah Ali Khamenei"],
      extra_obj=["the Islamic Republic", "the Iranian government"],
      mil=["Iran's Revolutionary Guards", "the Iranian military"]),
    C("ISR", "Israel", "Israeli", "Jerusalem", "Israeli Prime Minister Benjamin Netanyahu",
      "Israeli Foreign Minister Israel Katz",
      extra_subj=["the Israeli government"], extra_person=["Israeli officials"],
      extra_obj=["the Israeli government"], mil=["the Israeli military", "Israeli forces"]),
    C("SAU", "Saudi Arabia", "Saudi", "Riyadh", "Saudi Crown Prince Mohammed bin Salman",
      "Saudi Foreign Minister Prince Faisal bin Farhan",
      extra_person=["Saudi officials"], extra_obj=["the Saudi government"]),
    C("TUR", "Turkey", "Turkish", "Ankara", "Turkish President Tayyip Erdogan",
      "Turkish Foreign Minister Hakan Fidan",
      extra_person=["Turkish officials"], extra_obj=["the Turkish government"]),
    C("UKR", "Ukraine", "Ukrainian", "Kyiv", "Ukrainian President Volodymyr Zelenskiy",
      "Ukrainian Foreign Minister Dmytro Kuleba",
      extra_person=["Ukrainian officials"], extra_obj=["the Ukrainian government"]),
    C("POL", "Poland", "Polish", "Warsaw", "Polish Prime Minister Donald Tusk",
      "Polish Foreign Minister Radoslaw Sikorski",
      extra_person=["Polish officials"], extra_obj=["the Polish government"]),
    C("BLR", "Belarus", "Belarusian", "Minsk", "Belarusian President Alexander Lukashenko", "",
      extra_person=["Belarusian officials"], extra_obj=["the Belarusian government"]),
    C("EGY", "Egypt", "Egyptian", "Cairo", "Egyptian President Abdel Fattah al-Sisi",
      "Egyptian Foreign Minister Sameh Shoukry",
      extra_person=["Egyptian officials"], extra_obj=["the Egyptian government"]),
    C("ZAF", "South Africa", "South African", "Pretoria", "South African President Cyril Ramaphosa",
      "South African Foreign Minister Naledi Pandor",
      ministry="South Africa's Department of International Relations and Cooperation",
      extra_person=["South African officials"], extra_obj=["the South African government"]),
    C("NGA", "Nigeria", "Nigerian", "Abuja", "Nigerian President Bola Tinubu", "",
      extra_person=["Nigerian officials"], extra_obj=["the Nigerian government"]),
    C("KEN", "Kenya", "Kenyan", "Nairobi", "Kenyan President William Ruto", "",
      extra_person=["Kenyan officials"], extra_obj=["the Kenyan government"]),
    C("ETH", "Ethiopia", "Ethiopian", "Addis Ababa", "Ethiopian Prime Minister Abiy Ahmed", "",
      extra_person=["Ethiopian officials"], extra_obj=["the Ethiopian government"]),
    C("BRA", "Brazil", "Brazilian", "Brasilia", "Brazilian President Luiz Inacio Lula da Silva",
      "Brazilian Foreign Minister Mauro Vieira",
      extra_person=["Brazilian officials"], extra_obj=["the Brazilian government"]),
    C("ARG", "Argentina", "Argentine", "Buenos Aires", "Argentine President Javier Milei",
      "Argentine Foreign Minister Diana Mondino",
      extra_person=["Argentine officials"], extra_obj=["the Argentine government"]),
    C("MEX", "Mexico", "Mexican", "Mexico City", "Mexican President Andres Manuel Lopez Obrador", "",
      extra_person=["Mexican officials"], extra_obj=["the Mexican government"]),
    C("VEN", "Venezuela", "Venezuelan", "Caracas", "Venezuelan President Nicolas Maduro",
      "Venezuelan Foreign Minister Yvan Gil",
      extra_person=["Venezuelan officials"], extra_obj=["the Venezuelan government"]),
    C("COL", "Colombia", "Colombian", "Bogota", "Colombian President Gustavo Petro", "",
      extra_person=["Colombian officials"], extra_obj=["the Colombian government"]),
    C("CAN", "Canada", "Canadian", "Ottawa", "Canadian Prime Minister Justin Trudeau",
      "Canadian Foreign Minister Melanie Joly", ministry="Global Affairs Canada",
      extra_person=["Canadian officials"], extra_obj=["the Canadian government"]),
    C("AUS", "Australia", "Australian", "Canberra", "Australian Prime Minister Anthony Albanese",
      "Australian Foreign Minister Penny Wong",
      extra_person=["Australian officials"], extra_obj=["the Australian government"]),
    C("NZL", "New Zealand", "New Zealand", "Wellington", "New Zealand Prime Minister Christopher Luxon",
      "New Zealand Foreign Minister Winston Peters",
      extra_person=["New Zealand officials"], extra_obj=["the New Zealand government"]),
    C("IDN", "Indonesia", "Indonesian", "Jakarta", "Indonesian President Joko Widodo",
      "Indonesian Foreign Minister Retno Marsudi",
      extra_person=["Indonesian officials"], extra_obj=["the Indonesian government"]),
    C("PHL", "the Philippines", "Philippine", "Manila", "Philippine President Ferdinand Marcos Jr.",
      "Philippine Foreign Secretary Enrique Manalo", ministry="the Philippine Department of Foreign Affairs",
      poss="Manila's",
      extra_person=["Philippine officials"], extra_obj=["the Philippine government"],
      mil=["the Philippine military", "the Philippine coast guard"]),
    C("VNM", "Vietnam", "Vietnamese", "Hanoi", "Vietnamese Prime Minister Pham Minh Chinh", "",
      extra_person=["Vietnamese officials"], extra_obj=["the Vietnamese government"]),
    C("THA", "Thailand", "Thai", "Bangkok", "Thai Prime Minister Srettha Thavisin", "",
      extra_person=["Thai officials"], extra_obj=["the Thai government"]),
    C("SGP", "Singapore", "Singaporean", "Singapore", "Singapore Prime Minister Lee Hsien Loong",
      "Singapore Foreign Minister Vivian Balakrishnan", ministry="Singapore's foreign ministry",
      extra_person=["Singaporean officials"], extra_obj=["the Singapore government"]),
    C("MYS", "Malaysia", "Malaysian", "Kuala Lumpur", "Malaysian Prime Minister Anwar Ibrahim", "",
      extra_person=["Malaysian officials"], extra_obj=["the Malaysian government"]),
    C("AZE", "Azerbaijan", "Azerbaijani", "Baku", "Azerbaijani President Ilham Aliyev", "",
      extra_person=["Azerbaijani officials"], extra_obj=["the Azerbaijani government"]),
    C("ARM", "Armenia", "Armenian", "Yerevan", "Armenian Prime Minister Nikol Pashinyan", "",
      extra_person=["Armenian officials"], extra_obj=["the Armenian government"]),
    C("GEO", "Georgia", "Georgian", "Tbilisi", "", "",
      extra_person=["Georgian officials"], extra_obj=["the Georgian government"]),
    C("KAZ", "Kazakhstan", "Kazakh", "Astana", "Kazakh President Kassym-Jomart Tokayev", "",
      extra_person=["Kazakh officials"], extra_obj=["the Kazakh government"]),
    C("SRB", "Serbia", "Serbian", "Belgrade", "Serbian President Aleksandar Vucic", "",
      extra_person=["Serbian officials"], extra_obj=["the Serbian government"]),
    C("HUN", "Hungary", "Hungarian", "Budapest", "Hungarian Prime Minister Viktor Orban",
      "Hungarian Foreign Minister Peter Szijjarto",
      extra_person=["Hungarian officials"], extra_obj=["the Hungarian government"]),
    C("ITA", "Italy", "Italian", "Rome", "Italian Prime Minister Giorgia Meloni",
      "Italian Foreign Minister Antonio Tajani",
      extra_person=["Italian officials"], extra_obj=["the Italian government"]),
    C("ESP", "Spain", "Spanish", "Madrid", "Spanish Prime Minister Pedro Sanchez",
      "Spanish Foreign Minister Jose Manuel Albares",
      extra_person=["Spanish officials"], extra_obj=["the Spanish government"]),
    C("GRC", "Greece", "Greek", "Athens", "Greek Prime Minister Kyriakos Mitsotakis", "",
      extra_person=["Greek officials"], extra_obj=["the Greek government"]),
    C("SWE", "Sweden", "Swedish", "Stockholm", "Swedish Prime Minister Ulf Kristersson", "",
      extra_person=["Swedish officials"], extra_obj=["the Swedish government"]),
    C("FIN", "Finland", "Finnish", "Helsinki", "", "Finnish Foreign Minister Elina Valtonen",
      extra_person=["Finnish officials"], extra_obj=["the Finnish government"]),
    C("NOR", "Norway", "Norwegian", "Oslo", "", "Norwegian Foreign Minister Espen Barth Eide",
      extra_person=["Norwegian officials"], extra_obj=["the Norwegian government"]),
    C("NLD", "the Netherlands", "Dutch", "The Hague", "Dutch Prime Minister Mark Rutte", "",
      ministry="the Dutch foreign ministry", poss="the Dutch government's",
      extra_person=["Dutch officials"], extra_obj=["the Dutch government"]),
    C("LTU", "Lithuania", "Lithuanian", "Vilnius", "", "Lithuanian Foreign Minister Gabrielius Landsbergis",
      extra_person=["Lithuanian officials"], extra_obj=["the Lithuanian government"]),
    C("EST", "Estonia", "Estonian", "Tallinn", "Estonian Prime Minister Kaja Kallas", "",
      extra_person=["Estonian officials"], extra_obj=["the Estonian government"]),
    C("LVA", "Latvia", "Latvian", "Riga", "", "",
      extra_person=["Latvian officials"], extra_obj=["the Latvian government"]),
    C("MDA", "Moldova", "Moldovan", "Chisinau", "Moldovan President Maia Sandu", "",
      extra_person=["Moldovan officials"], extra_obj=["the Moldovan government"]),
    C("QAT", "Qatar", "Qatari", "Doha", "Qatar's Emir Sheikh Tamim bin Hamad Al Thani", "",
      extra_person=["Qatari officials"], extra_obj=["the Qatari government"]),
    C("ARE", "the United Arab Emirates", "Emirati", "Abu Dhabi", "UAE President Sheikh Mohamed bin Zayed", "",
      ministry="the UAE foreign ministry", poss="the UAE's",
      extra_person=["Emirati officials"], extra_obj=["the UAE"]),
    C("IRQ", "Iraq", "Iraqi", "Baghdad", "Iraqi Prime Minister Mohammed Shia al-Sudani", "",
      extra_person=["Iraqi officials"], extra_obj=["the Iraqi government"]),
    C("SYR", "Syria", "Syrian", "Damascus", "Syrian President Bashar al-Assad", "",
      extra_person=["Syrian officials"], extra_obj=["the Syrian government"]),
    C("LBN", "Lebanon", "Lebanese", "Beirut", "Lebanese caretaker Prime Minister Najib Mikati", "",
      extra_person=["Lebanese officials"], extra_obj=["the Lebanese government"]),
    C("JOR", "Jordan", "Jordanian", "Amman", "Jordan's King Abdullah", "Jordanian Foreign Minister Ayman Safadi",
      extra_person=["Jordanian officials"], extra_obj=["the Jordanian government"]),
    C("MAR", "Morocco", "Moroccan", "Rabat", "", "",
      extra_person=["Moroccan officials"], extra_obj=["the Moroccan government"]),
    C("DZA", "Algeria", "Algerian", "Algiers", "Algerian President Abdelmadjid Tebboune", "",
      extra_person=["Algerian officials"], extra_obj=["the Algerian government"]),
    C("CUB", "Cuba", "Cuban", "Havana", "", "Cuban Foreign Minister Bruno Rodriguez",
      extra_person=["Cuban officials"], extra_obj=["the Cuban government"]),
    C("CHL", "Chile", "Chilean", "Santiago", "Chilean President Gabriel Boric", "",
      extra_person=["Chilean officials"], extra_obj=["the Chilean government"]),
    C("PER", "Peru", "Peruvian", "Lima", "", "",
      extra_person=["Peruvian officials"], extra_obj=["the Peruvian government"]),
    C("GHA", "Ghana", "Ghanaian", "Accra", "Ghanaian President Nana Akufo-Addo", "",
      extra_person=["Ghanaian officials"], extra_obj=["the Ghanaian government"]),
    C("SEN", "Senegal", "Senegalese", "Dakar", "", "",
      extra_person=["Senegalese officials"], extra_obj=["the Senegalese government"]),
    C("RWA", "Rwanda", "Rwandan", "Kigali", "Rwandan President Paul Kagame", "",
      extra_person=["Rwandan officials"], extra_obj=["the Rwandan government"]),
    C("COD", "the Democratic Republic of Congo", "Congolese", "Kinshasa", "Congolese President Felix Tshisekedi", "",
      ministry="Congo's foreign ministry", poss="Kinshasa's",
      extra_person=["Congolese officials"], extra_obj=["the Congolese government"]),
    C("MLI", "Mali", "Malian", "Bamako", "", "", ministry="Mali's military government",
      extra_person=["Malian officials"], extra_obj=["Mali's junta"]),
    C("NER", "Niger", "Nigerien", "Niamey", "", "", ministry="Niger's military rulers",
      extra_person=["Nigerien officials"], extra_obj=["Niger's junta"]),
    C("SDN", "Sudan", "Sudanese", "Khartoum", "Sudanese army chief Abdel Fattah al-Burhan", "",
      ministry="Sudan's army-led government",
      extra_person=["Sudanese officials"], extra_obj=["Sudan's army-led government"]),
    C("AFG", "Afghanistan", "Afghan", "Kabul", "", "", ministry="Afghanistan's Taliban administration",
      extra_person=["Taliban officials in Kabul"], extra_obj=["the Taliban administration in Kabul"]),
    C("BGD", "Bangladesh", "Bangladeshi", "Dhaka", "Bangladeshi Prime Minister Sheikh Hasina", "",
      extra_person=["Bangladeshi officials"], extra_obj=["the Bangladeshi government"]),
    C("LKA", "Sri Lanka", "Sri Lankan", "Colombo", "Sri Lankan President Ranil Wickremesinghe", "",
      extra_person=["Sri Lankan officials"], extra_obj=["the Sri Lankan government"]),
    C("NPL", "Nepal", "Nepali", "Kathmandu", "", "",
      extra_person=["Nepali officials"], extra_obj=["the Nepali government"]),
    C("TWN", "Taiwan", "Taiwanese", "Taipei", "Taiwan President Tsai Ing-wen", "",
      ministry="Taiwan's foreign ministry",
      extra_person=["Taiwanese officials"], extra_obj=["the government in Taipei"],
      mil=["Taiwan's defence ministry", "Taiwanese forces"]),
    C("MNG", "Mongolia", "Mongolian", "Ulaanbaatar", "", "",
      extra_person=["Mongolian officials"], extra_obj=["the Mongolian government"]),
    C("UZB", "Uzbekistan", "Uzbek", "Tashkent", "Uzbek President Shavkat Mirziyoyev", "",
      extra_person=["Uzbek officials"], extra_obj=["the Uzbek government"]),
    C("YEM", "Yemen", "Yemeni", "Sanaa", "", "", ministry="Yemen's internationally recognised government",
      extra_person=["Yemeni officials"], extra_obj=["Yemen's Houthi movement"]),
    C("GUY", "Guyana", "Guyanese", "Georgetown", "Guyanese President Irfaan Ali", "",
      extra_person=["Guyanese officials"], extra_obj=["the Guyanese government"]),
    C("ECU", "Ecuador", "Ecuadorean", "Quito", "Ecuadorean President Daniel Noboa", "",
      extra_person=["Ecuadorean officials"], extra_obj=["the Ecuadorean government"]),
    C("CHE", "Switzerland", "Swiss", "Bern", "", "", extra_person=["Swiss officials"],
      extra_obj=["the Swiss government"]),
    C("AUT", "Austria", "Austrian", "Vienna", "", "", extra_person=["Austrian officials"],
      extra_obj=["the Austrian government"]),
    C("CZE", "the Czech Republic", "Czech", "Prague", "", "", ministry="the Czech foreign ministry",
      poss="Prague's", extra_person=["Czech officials"], extra_obj=["the Czech government"]),
    C("ROU", "Romania", "Romanian", "Bucharest", "", "", extra_person=["Romanian officials"],
      extra_obj=["the Romanian government"]),
    C("TZA", "Tanzania", "Tanzanian", "Dodoma", "Tanzanian President Samia Suluhu Hassan", "",
      extra_person=["Tanzanian officials"], extra_obj=["the Tanzanian government"]),
    C("PNG", "Papua New Guinea", "Papua New Guinean", "Port Moresby", "Papua New Guinea Prime Minister James Marape", "",
      extra_person=["Papua New Guinean officials"], extra_obj=["the Papua New Guinea government"]),
    C("SLB", "the Solomon Islands", "Solomon Islands", "Honiara", "", "",
      ministry="the Solomon Islands foreign ministry", poss="Honiara's",
      extra_person=["Solomon Islands officials"], extra_obj=["the Solomon Islands government"]),
]
BY_ISO = {c.iso: c for c in COUNTRIES}

# Official ISO 3166-1 alpha-3 codes used anywhere in the corpus (validation).
VALID_ISO3 = set(BY_ISO)


def strip_article(s: str) -> str:
    for art in ("the ", "The ", "a ", "an "):
        if s.startswith(art):
            return s[len(art):]
    return s


# ----------------------------------------------------------------- forms ---
def subj_inst(c: Country):
    """Singular institutional subjects (safe with 'it' / 'its')."""
    out = [c.capital, c.capital, c.ministry, c.name if not c.name.startswith("the ") else c.name]
    out += c.extra_subj
    return out


def subj_any(c: Country):
    out = subj_inst(c) + [p for p in c.extra_person]
    if c.leader:
        out += [c.leader, c.leader]
    if c.fm:
        out.append(c.fm)
    return out


def obj_forms(c: Country):
    return [c.name, c.name, c.capital, c.capital] + c.extra_obj


def poss_forms(c: Country):
    out = [c.poss, c.poss, c.capital + "'s"]
    if c.iso == "USA":
        out = ["Washington's", "Washington's", "the U.S. government's"]
    return out


def person_forms(c: Country):
    out = []
    if c.leader:
        out.append(c.leader)
    if c.fm:
        out.append(c.fm)
    if not out:
        out = [f"{c.adj} officials"]
    return out


# ----------------------------------------------------------- relationships --
def pairs(spec: str):
    out = []
    for tok in spec.split():
        a, b = tok.split("-")
        out.append((a, b))
    return out


RIVALS = pairs("""USA-CHN USA-RUS USA-IRN USA-PRK USA-VEN USA-CUB RUS-UKR RUS-POL RUS-GBR RUS-DEU
RUS-FRA RUS-LTU RUS-EST RUS-LVA RUS-FIN RUS-MDA RUS-GEO RUS-USA RUS-JPN CHN-JPN CHN-TWN CHN-PHL CHN-IND
CHN-AUS CHN-USA CHN-CAN CHN-LTU PRK-KOR PRK-USA PRK-JPN KOR-PRK JPN-PRK JPN-CHN JPN-RUS IND-PAK PAK-IND
IRN-ISR ISR-IRN IRN-USA ISR-LBN LBN-ISR ISR-SYR SYR-ISR ISR-TUR TUR-ISR ISR-ZAF ZAF-ISR ARM-AZE AZE-ARM
GRC-TUR TUR-GRC DZA-MAR MAR-DZA ETH-EGY EGY-ETH RWA-COD COD-RWA VEN-GUY GUY-VEN BLR-POL POL-BLR BLR-LTU
LTU-BLR MLI-FRA NER-FRA FRA-MLI AFG-PAK PAK-AFG PAK-IRN IRN-PAK UKR-RUS UKR-BLR HUN-UKR UKR-HUN POL-RUS
GBR-RUS DEU-RUS FRA-RUS LTU-RUS EST-RUS FIN-RUS MDA-RUS GEO-RUS TWN-CHN PHL-CHN IND-CHN AUS-CHN CAN-CHN
CAN-IND IND-CAN VEN-ARG ARG-VEN ARG-GBR GBR-ARG MEX-ECU ECU-MEX SYR-TUR TUR-SYR IRQ-TUR SDN-ARE
USA-YEM SAU-YEM VNM-CHN CHN-VNM KOR-CHN CHN-KOR CUB-USA VEN-USA IRN-GBR GBR-IRN SWE-RUS NOR-RUS
CZE-RUS ROU-RUS RUS-SWE RUS-CZE RUS-ROU RUS-NOR CHN-GBR GBR-CHN DEU-CHN NLD-CHN CHN-NLD""")

PARTNERS = pairs("""USA-JPN USA-KOR USA-GBR USA-AUS USA-CAN USA-PHL USA-ISR USA-UKR USA-POL USA-DEU
USA-FRA USA-IND USA-SAU USA-VNM USA-QAT USA-EGY USA-JOR USA-KEN USA-GRC JPN-USA KOR-USA GBR-USA AUS-USA
PHL-USA UKR-USA POL-USA JPN-AUS AUS-JPN JPN-PHL PHL-JPN JPN-GBR GBR-JPN JPN-IND IND-JPN JPN-KOR KOR-JPN
RUS-CHN CHN-RUS RUS-PRK PRK-RUS RUS-IRN IRN-RUS RUS-BLR BLR-RUS RUS-SYR SYR-RUS RUS-VEN VEN-RUS RUS-CUB
CUB-RUS RUS-IND IND-RUS RUS-MLI MLI-RUS RUS-KAZ KAZ-RUS RUS-SRB SRB-RUS HUN-RUS CHN-PAK PAK-CHN CHN-KAZ
CHN-BRA BRA-CHN CHN-ZAF ZAF-CHN CHN-ETH ETH-CHN CHN-KEN CHN-IDN IDN-CHN CHN-SRB SRB-CHN CHN-HUN HUN-CHN
CHN-IRN IRN-CHN CHN-SAU SAU-CHN CHN-MYS CHN-NGA CHN-CUB CHN-SLB SLB-CHN DEU-FRA FRA-DEU FRA-IND IND-FRA
GBR-UKR UKR-GBR POL-UKR UKR-POL DEU-UKR UKR-DEU FRA-UKR UKR-FRA IND-BGD BGD-IND IND-NPL IND-LKA IND-ARE
ARE-IND SAU-ARE ARE-SAU QAT-TUR TUR-QAT TUR-AZE AZE-TUR EGY-SAU SAU-EGY BRA-ARG ARG-BRA BRA-MEX ZAF-NGA
NGA-ZAF KEN-ETH AUS-NZL NZL-AUS AUS-IDN IDN-AUS SGP-MYS MYS-SGP IDN-MYS AUS-PNG PNG-AUS USA-PNG
ITA-ESP ESP-ITA GRC-CYP SWE-FIN FIN-SWE NOR-SWE EST-LTU LTU-EST LVA-LTU EST-FIN POL-LTU LTU-POL
DEU-POL POL-DEU FRA-MAR MAR-FRA ESP-MAR EGY-JOR JOR-EGY QAT-EGY IRN-IRQ IRQ-IRN SAU-IRN IRN-SAU
ARM-FRA FRA-ARM GEO-AZE UZB-KAZ KAZ-UZB VNM-JPN JPN-VNM THA-CHN CHN-THA MNG-JPN MLI-NER NER-MLI
KOR-POL POL-KOR CAN-UKR UKR-CAN NLD-UKR ITA-UKR MDA-ROU ROU-MDA USA-TWN TWN-USA JPN-TWN TWN-JPN
CHL-ARG COL-BRA BRA-COL MEX-COL GHA-NGA SEN-GHA TZA-KEN KEN-TZA RWA-TZA CHE-AUT AUT-CHE CZE-UKR
LKA-IND NPL-IND SGP-IDN IDN-SGP MYS-IDN SGP-USA USA-SGP IDN-JPN ARE-EGY KAZ-CHN""")
PARTNERS = [(a, b) for a, b in PARTNERS if a in BY_ISO and b in BY_ISO]
RIVALS = [(a, b) for a, b in RIVALS if a in BY_ISO and b in BY_ISO]
RIVAL_SET = set(RIVALS) | {(b, a) for a, b in RIVALS}

DONORS = "USA JPN DEU GBR FRA CHN SAU ARE QAT KOR AUS CAN NOR SWE NLD TUR IND ITA CHE".split()
RECIPIENTS = "UKR ETH KEN PAK BGD AFG SDN SYR LBN JOR PHL NPL LKA MDA EGY SEN GHA NER MLI COD YEM TZA PNG SLB MNG MAR IDN VNM PER ECU GUY ARM".split()
AID_PAIRS = [(d, r) for d in DONORS for r in RECIPIENTS if (d, r) not in RIVAL_SET]
MIL_AID = pairs("""USA-UKR GBR-UKR DEU-UKR POL-UKR FRA-UKR NLD-UKR CAN-UKR SWE-UKR USA-ISR USA-TWN
USA-PHL JPN-PHL RUS-SYR RUS-MLI TUR-AZE CHN-PAK USA-POL USA-JOR FRA-ARM AUS-PNG CZE-UKR NOR-UKR""")
STRIKES = pairs("""RUS-UKR UKR-RUS ISR-SYR ISR-LBN ISR-IRN IRN-ISR IRN-PAK PAK-IRN TUR-IRQ TUR-SYR
USA-SYR USA-YEM AZE-ARM ARM-AZE IND-PAK PAK-IND PRK-KOR RWA-COD PAK-AFG AFG-PAK SAU-YEM IRN-IRQ
LBN-ISR ISR-YEM USA-IRQ""")
MOBIL = pairs("""RUS-UKR UKR-RUS CHN-TWN TWN-CHN PRK-KOR KOR-PRK IND-PAK PAK-IND ARM-AZE AZE-ARM
VEN-GUY GUY-VEN RUS-FIN FIN-RUS POL-BLR BLR-POL BLR-UKR RUS-LTU LTU-RUS CHN-PHL PHL-CHN CHN-JPN JPN-CHN
CHN-IND IND-CHN ISR-LBN ISR-IRN IRN-ISR GRC-TUR TUR-GRC ETH-EGY EGY-ETH RWA-COD COD-RWA USA-CHN CHN-USA
PRK-USA USA-PRK RUS-EST EST-RUS DZA-MAR MAR-DZA SRB-HUN""")
MOBIL = [p for p in MOBIL if p != ("SRB", "HUN")]
ISLANDS = {"TWN", "JPN", "PHL", "GBR", "SLB", "SGP", "LKA", "CUB"}

ALL_ISO = sorted(BY_ISO)


def any_pair(rng):
    while True:
        a, b = rng.sample(ALL_ISO, 2)
        return a, b


def neutral_pair(rng):
    """Partners, rivals or random pairs: routine diplomacy happens between anyone."""
    r = rng.random()
    if r < 0.35:
        return rng.choice(PARTNERS)
    if r < 0.6:
        return rng.choice(RIVALS)
    return any_pair(rng)


POOLS = {
    "rival": lambda rng: rng.choice(RIVALS),
    "partner": lambda rng: rng.choice(PARTNERS),
    "aid": lambda rng: rng.choice(AID_PAIRS),
    "milaid": lambda rng: rng.choice(MIL_AID),
    "strike": lambda rng: rng.choice(STRIKES),
    "mobil": lambda rng: rng.choice(MOBIL),
    "any": neutral_pair,
}

# ------------------------------------------------------------ vocabulary ---
V = {
    "accusation": [
        "meddling in the country's internal affairs", "violating its airspace with military drones",
        "harassing fishing vessels in disputed waters", "running a disinformation campaign ahead of the election",
        "orchestrating cyberattacks against government networks", "arming separatist groups",
        "destabilising the region", "practising economic coercion", "spying on exiled dissidents",
        "violating the ceasefire along the frontier", "supplying weapons to militants",
        "illegally detaining its citizens", "sheltering wanted militants", "weaponising energy supplies",
        "stoking ethnic tensions in border areas", "dumping cheap steel on world markets",
        "plotting to assassinate an opposition figure living abroad", "jamming GPS signals over the Baltic",
        "carrying out dangerous manoeuvres near its warships", "hacking the email accounts of lawmakers",
        "obstructing an investigation into the downing of a passenger plane", "blocking humanitarian corridors",
    ],
    "incident": [
        "a wave of cyberattacks on the national power grid", "an arson attack on a military warehouse",
        "damage to an undersea data cable", "the collision of two vessels near a disputed shoal",
        "a drone incursion over a nuclear plant", "the sabotage of a gas pipeline",
        "a bomb plot foiled by police last month", "the detention of two journalists",
        "a hacking attack on the central bank", "the shooting of a border guard",
    ],
    "issue": [
        "the detention of its nationals", "the treatment of its fishermen", "an airspace violation",
        "remarks made by a senior official", "the seizure of a cargo ship", "comments on its election",
        "a visit by a senior delegation to the disputed islands", "the expulsion of its journalists",
        "new maps showing disputed territory", "the harassment of its diplomats",
        "a military exercise near its waters", "the arrest of a businessman on spying charges",
        "the closure of its consulate", "a textbook describing the disputed region",
        "the burning of its flag at a protest", "the crossing of a warship through the strait",
    ],
    "incident2": [
        "a coast guard vessel fired water cannon at a resupply boat",
        "a military aircraft entered its air defence zone without notice",
        "two of its citizens were sentenced on espionage charges",
        "protesters attacked its embassy", "a senior minister visited a contested war shrine",
        "a drone crashed inside its territory", "its diplomats were denied access to a detained citizen",
        "a warship sailed through disputed waters", "an opposition leader was jailed",
    ],
    "decision": [
        "expel foreign journalists", "close its border crossings", "suspend grain exports",
        "extend the detention of opposition figures", "withdraw from an arms control treaty",
        "ban imports of farm products", "postpone the elections", "suspend a nuclear cooperation deal",
        "deploy additional troops to the region", "restrict exports of critical minerals",
        "raise tariffs on electric vehicles", "quit the regional security pact",
    ],
    "action_noun": [
        "military build-up near the border", "crackdown on protesters", "handling of the election",
        "naval deployment", "detention of foreign nationals", "treatment of migrants",
        "new security law", "new media law", "decision to expel diplomats",
        "restrictions on humanitarian access", "export ban", "arrest of opposition leaders",
    ],
    "topic": [
        "trade", "climate change", "regional security", "energy cooperation", "nuclear non-proliferation",
        "migration", "food security", "maritime security", "counter-terrorism", "the war in Ukraine",
        "the situation in Gaza", "debt relief", "infrastructure investment", "cyber security",
        "public health", "critical minerals", "visa rules", "fisheries", "water sharing",
        "the humanitarian crisis in Sudan", "semiconductor supply chains", "nuclear energy",
    ],
    "sector": [
        "banking", "energy", "defence", "shipping", "mining", "technology", "aviation", "oil", "steel",
    ],
    "goods": [
        "seafood", "wine", "timber", "steel products", "beef", "grain", "coal", "solar panels",
        "fertiliser", "electronic components",
    ],
    "reason": [
        "national security concerns", "safety concerns", "unfair trade practices",
        "human rights abuses", "the use of forced labour", "violations of the arms embargo",
    ],
    "amount": [
        "50 million", "120 million", "250 million", "1.2 billion", "300 million", "75 million",
        "2 billion", "500 million", "30 million", "800 million", "10 million", "4.5 billion",
    ],
    "aidtype": [
        "humanitarian aid", "food aid", "emergency assistance", "development loans",
        "budget support", "reconstruction funding", "medical supplies", "energy aid for the winter",
    ],
    "disaster": [
        "a powerful earthquake", "deadly floods", "a tropical cyclone", "devastating wildfires",
        "a landslide that buried several villages", "the worst drought in decades", "a cholera outbreak",
    ],
    "agreement": [
        "free trade", "visa waiver", "nuclear energy", "defence cooperation", "fisheries",
        "extradition", "investment protection", "space cooperation", "semiconductor",
        "green hydrogen", "critical minerals", "double taxation", "cultural exchange",
        "reciprocal access", "maritime cooperation", "grain export",
    ],
    "deal": [
        "resume direct flights", "reopen their border crossings", "exchange prisoners",
        "restore full diplomatic relations", "build a cross-border railway", "share river water",
        "jointly develop offshore gas fields", "ease visa requirements for students",
        "expand a currency swap line", "cut tariffs on farm goods",
    ],
    "org": [
        "NATO", "the BRICS group", "the OECD", "the European Union", "the World Trade Organization",
        "a permanent seat on the U.N. Security Council", "ASEAN", "the Shanghai Cooperation Organisation",
    ],
    "role": [
        "mediating the prisoner exchange", "hosting refugees", "brokering the ceasefire",
        "stabilising global energy markets", "fighting piracy off the Horn of Africa",
        "the evacuation of foreign nationals", "promoting peace talks", "the fight against climate change",
        "securing the release of hostages",
    ],
    "gooddecision": [
        "reopen its embassy", "release detained fishermen", "lift restrictions on imports",
        "join the maritime coalition", "extend the grain deal", "drop visa requirements",
        "send peacekeepers", "cancel the debt owed by poorer nations", "resume peace talks",
    ],
    "event": [
        "the G20 summit", "the U.N. General Assembly", "the Munich Security Conference",
        "the ASEAN regional forum", "the BRICS summit", "the Shangri-La Dialogue",
        "the COP climate talks", "the African Union summit", "the Raisina Dialogue",
        "the Valdai forum",
    ],
    "request": [
        "locating missing citizens", "extraditing a fugitive businessman", "evacuating its nationals",
        "investigating the shipwreck", "tracking down stolen artefacts", "fighting forest fires",
        "securing supplies of vaccines", "restoring power after the storm",
    ],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "n": ["two", "three", "four", "five", "six", "seven", "10", "a dozen", "15", "20"],
    "years": ["10 years", "15 years", "two decades", "25 years", "30 years", "more than a decade", "nearly two decades", "half a century"],
    "targets": [
        "militant positions", "arms depots", "drone launch sites", "weapons factories",
        "command centres", "supply routes used by armed groups",
    ],
    "warnact": [
        "further provocations", "interfering in the talks", "sending warships into the strait",
        "escalating the conflict", "testing more missiles",
    ],
    "say": [
        "said", "said in a statement", "told reporters", "said on {day}", "told a news conference",
        "said in a post on X", "said in a televised address", "said late on {day}",
    ],
    "tail": [
        "", "", "", ", the ministry said in a statement", ", according to a statement",
        " on {day}", " in a statement on {day}", ", state media reported", ", officials said",
        ", according to a transcript released by the government", " late on {day}",
    ],
}


# -------------------------------------------------------------- templates --
# Slots: {S} subject (any form), {Si} subject (institution; safe with it/its),
# {Sp} subject person, {Smil} military, {Sa} source adjective, {Sc} source capital,
# {Sm} source ministry, {Sn} source country name; same with T for the target
# ({T} object form, {Tp} possessive, {Ta} ambassador, {Tn} name, {Tc} capital,
# {Tl} leader or minister, {Tadj} adjective).  Lowercase {xyz} draws from V.
@dataclass
class Tpl:
    cat: str
    label: str
    tone: float
    pool: str
    text: str
    n: int = 0
    note: str = ""

    def __post_init__(self):
        if not self.n:  # default instances per template, chosen to balance the labels
            self.n = {"hostile": 4, "neutral": 9, "cooperative": 5}[self.label]
            if self.cat in ("strike", "mobilisation", "sanction", "protest"):
                self.n = 5


T = Tpl
SINGLE = [
    # --------------------------------------------------------- accusation
    T("accusation", "hostile", -0.7, "rival", "{S} accused {T} of {accusation}{tail}."),
    T("accusation", "hostile", -0.7, "rival", "{Si} said {T} was behind {incident}, calling the evidence \"overwhelming\"."),
    T("accusation", "hostile", -0.75, "rival", "In a sharply worded statement, {Sm} accused {T} of {accusation} and said it would respond \"accordingly\"."),
    T("accusation", "hostile", -0.65, "rival", "{S} blamed {T} for {incident}{tail}."),
    T("accusation", "hostile", -0.6, "rival", "{Tadj} intelligence services were responsible for {incident}, {S} {say}."),
    T("accusation", "hostile", -0.65, "rival", "{S} alleged that {Tadj} agents had tried to recruit officials at a defence ministry, describing the plot as \"hostile activity\"."),
    T("accusation", "hostile", -0.7, "rival", "\"What we are seeing is a deliberate campaign by {T} to {campaign},\" {Sp} {say}."),
    T("accusation", "hostile", -0.55, "rival", "{S} charged that {T} had repeatedly broken its promises on {topic}, leaving talks \"in tatters\"."),
    # --------------------------------------------------------- criticism
    T("criticism", "hostile", -0.45, "rival", "{S} criticised {Tp} decision to {decision}, calling it \"a step in the wrong direction\"."),
    T("criticism", "hostile", -0.4, "any", "{Si} said it was \"deeply disappointed\" by {Tp} decision to {decision}."),
    T("criticism", "hostile", -0.4, "rival", "{S} rejected {Tp} latest proposal on {topic} as \"unrealistic\"{tail}."),
    T("criticism", "hostile", -0.5, "rival", "{S} dismissed {Tp} claims as \"baseless and politically motivated\"{tail}."),
    T("criticism", "hostile", -0.55, "rival", "{S} condemned {Tp} {action_noun} as \"a dangerous provocation\"."),
    T("criticism", "hostile", -0.4, "rival", "{S} described {Tp} stance on {topic} as \"hypocritical\"{tail}."),
    T("criticism", "hostile", -0.45, "rival", "{Si} said {T} bore full responsibility for the collapse of talks on {topic}."),
    T("criticism", "hostile", -0.35, "any", "{S} {say} that {Tp} {action_noun} was \"not helpful\" and risked undermining trust."),
    T("criticism", "hostile", -0.5, "rival", "{Sp} lashed out at {T}, saying it had \"no moral authority\" to lecture others on {topic}."),
    T("criticism", "hostile", -0.3, "any", "{S} voiced disappointment that {T} had voted against the resolution on {topic}."),
    # --------------------------------------------------------- protest
    T("protest", "hostile", -0.5, "rival", "{S} lodged a formal protest with {T} over {issue}{tail}."),
    T("protest", "hostile", -0.45, "rival", "{Si} sent a diplomatic note to {T} protesting {issue}."),
    T("protest", "hostile", -0.55, "rival", "{S} issued a strong protest to {T} after {incident2}."),
    T("protest", "hostile", -0.45, "rival", "{S} said it had \"firmly protested\" to {T} through diplomatic channels over {issue}.".replace("{S} said it", "{Si} said it")),
    # --------------------------------------------------------- summon
    T("summon", "hostile", -0.55, "rival", "{Sm} summoned {Ta} on {day} to protest {issue}."),
    T("summon", "hostile", -0.55, "rival", "{Ta} was summoned to the foreign ministry in {Sc} and handed a note of protest over {issue}."),
    T("summon", "hostile", -0.6, "rival", "{Si} recalled its ambassador from {Tc} for consultations after {incident2}."),
    T("summon", "hostile", -0.7, "rival", "{Si} expelled {n} {Tadj} diplomats, accusing them of activities \"incompatible with their status\"."),
    T("summon", "hostile", -0.5, "rival", "{S} called in {Ta} to demand an explanation for {issue}{tail}."),
    T("summon", "hostile", -0.65, "rival", "{S} declared a {Tadj} diplomat persona non grata and gave him 72 hours to leave the country."),
    # --------------------------------------------------------- sanction
    T("sanction", "hostile", -0.7, "rival", "{S} imposed sanctions on {n} {Tadj} officials over {reason}{tail}."),
    T("sanction", "hostile", -0.7, "rival", "{S} announced fresh sanctions targeting {Tp} {sector} sector."),
    T("sanction", "hostile", -0.55, "rival", "{S} banned imports of {goods} from {T}, citing {reason}."),
    T("sanction", "hostile", -0.6, "rival", "{Si} added {n} {Tadj} companies to its export blacklist, citing {reason}."),
    T("sanction", "hostile", -0.65, "rival", "{S} froze the assets of several {Tadj} state-owned firms and barred their executives from entering the country."),
    T("sanction", "hostile", -0.5, "rival", "{S} slapped anti-dumping duties of up to 30 percent on {goods} imported from {T}."),
    # --------------------------------------------------------- threat
    T("threat", "hostile", -0.85, "rival", "{S} warned {T} that it would face \"severe consequences\" if it {cond}."),
    T("threat", "hostile", -0.8, "rival", "{S} threatened to retaliate against {T} if it {cond}{tail}."),
    T("threat", "hostile", -0.8, "rival", "{Si} said it did not rule out military action against {T}, raising fears of a wider conflict.", note="negated hedge: 'did not rule out military action' is a threat"),
    T("threat", "hostile", -0.9, "rival", "{S} warned that any attack by {T} would be met with \"an overwhelming response\"."),
    T("threat", "hostile", -0.85, "rival", "{Sp} vowed to make {T} \"pay a heavy price\" after {incident2}."),
    T("threat", "hostile", -0.75, "rival", "{S} said all options remained on the table in dealing with {T}, including the use of force.", note="'all options on the table' is a veiled threat"),
    T("threat", "hostile", -0.6, "rival", "{S} warned {T} against {warnact}, saying its patience was \"not unlimited\"."),
    # --------------------------------------------------------- mobilisation
    T("mobilisation", "hostile", -0.75, "mobil", "{Smil} moved troops and armoured vehicles toward the border with {Tn}{tail}."),
    T("mobilisation", "hostile", -0.7, "mobil", "{Smil} launched large-scale drills near the frontier with {Tn} in what analysts called a show of force."),
    T("mobilisation", "hostile", -0.65, "mobil", "{Smil} put air defence units on high alert, citing the threat posed by {T}."),
    T("mobilisation", "hostile", -0.8, "mobil", "{Si} called up thousands of reservists as tensions with {T} escalated."),
    T("mobilisation", "hostile", -0.7, "mobil", "{Smil} deployed additional warships and fighter jets in response to what it called provocations by {T}."),
    # --------------------------------------------------------- strike
    T("strike", "hostile", -0.95, "strike", "{Smil} carried out air strikes on what it said were {targets} inside {Tn}{tail}."),
    T("strike", "hostile", -0.9, "strike", "{Smil} fired artillery across the border into {Tn}, killing at least {n} people, local officials said."),
    T("strike", "hostile", -1.0, "strike", "{Si} launched a barrage of missiles and drones at military targets in {Tn} overnight."),
    T("strike", "hostile", -0.85, "strike", "{Smil} said it had shot down a {Tadj} drone that crossed into its airspace."),
    T("strike", "hostile", -0.95, "strike", "{Smil} struck {targets} in {Tn} in retaliation for an earlier attack, the military said."),
    # --------------------------------------------------------- hedged hostile (mild)
    T("hedged", "hostile", -0.25, "any", "{S} expressed concern over {Tp} {action_noun}{tail}.", n=8, note="'expressed concern' about the target's own action: mild criticism"),
    T("hedged", "hostile", -0.25, "any", "{S} expressed regret over {Tp} decision to {decision}, saying it hoped the move would be reconsidered.", n=7, note="'expressed regret' over the target's decision: mild"),
    T("hedged", "hostile", -0.3, "any", "The talks between {Sp} and {Tl} involved \"a frank exchange of views\" on {topic}, officials said.", n=7, note="'frank exchange of views' is diplomatic code for disagreement"),
    T("hedged", "hostile", -0.2, "rival", "{S} urged {T} to exercise restraint and avoid steps that could inflame tensions.", n=6, note="restraint urged at the target alone: mildly negative"),
    T("hedged", "hostile", -0.35, "rival", "{Si} said it \"could not accept\" {Tp} position on {topic} but remained open to dialogue.", n=5, note="rejection softened by openness: still mildly hostile"),
    T("hedged", "hostile", -0.3, "any", "{S} said relations with {T} were going through \"a difficult period\"{tail}.", n=5),
    T("request", "hostile", -0.4, "rival", "{S} called on {T} to withdraw its forces and respect international law.", n=5, note="demand framed as a request: hostile"),
    T("request", "hostile", -0.35, "rival", "{S} demanded that {T} release the detained sailors immediately{tail}.", n=5),
    # ----------------------------------------------------- neutral
    T("neutral_report", "neutral", 0.05, "any", "{Sp} and {Tl} discussed {topic} and {topic} in a phone call{tail}."),
    T("neutral_report", "neutral", 0.1, "any", "The new {Sa} ambassador presented his credentials to {Th} in {Tc} on {day}.", n=6),
    T("neutral_report", "neutral", 0.0, "any", "{Si} said it was monitoring the situation in {Tn} closely{tail}.", n=7, note="target is only the topic/place"),
    T("hedged", "neutral", 0.0, "any", "{Si} said it had taken note of {Tp} announcement and would study it carefully.", n=6, note="non-committal"),
    T("neutral_report", "neutral", 0.0, "any", "{S} declined to comment on reports that {T} was preparing to {decision}.", n=6),
    T("neutral_report", "neutral", 0.05, "any", "{Si} said its position on {topic} had not changed after talks with {T}.", n=5),
    T("consultation", "neutral", 0.1, "any", "{Si} will send a delegation to {Tc} next month for talks on {topic}, a spokesperson said.", n=6),
    T("neutral_report", "neutral", 0.05, "any", "Officials from {Sn} and {Tn} will attend {event}, where {topic} is expected to dominate the agenda.", n=6),
    T("neutral_report", "neutral", 0.0, "any", "{Sm} said consular staff were in contact with {Tadj} authorities about a citizen detained in {Tc}.", n=6),
    T("consultation", "neutral", 0.1, "any", "{Sp} and {Tl} exchanged views on {topic} on the sidelines of {event}.", n=7),
    T("neutral_report", "neutral", 0.0, "any", "{Sm} said {T} had been notified in advance of the planned missile test, in line with existing agreements.", n=4),
    T("hedged", "neutral", -0.1, "any", "{Si} said it had no plans to impose sanctions on {T} but would keep the matter under review.", n=6, note="explicitly no sanctions, but reserving the option: neutral"),
    T("hedged", "neutral", 0.1, "any", "{Si} said it respected {Tp} right to choose its own partners.", n=5),
    T("hedged", "neutral", -0.1, "any", "{S} stopped short of condemning {Tp} {action_noun}, saying only that it was following developments.", n=6, note="'stopped short of condemning': withheld criticism, neutral"),
    T("hedged", "neutral", 0.1, "any", "{S} declined to criticise {T} over {issue}, describing it as an internal matter.", n=6, note="'declined to criticise': neutral, slightly accommodating"),
    T("neutral_report", "neutral", 0.0, "any", "{S} said it expected {T} to announce its decision on {topic} by the end of the month.", n=5),
    T("neutral_report", "neutral", 0.0, "any", "{S} {say} that no meeting with {Tl} was scheduled during the summit.", n=5),
    T("neutral_report", "neutral", 0.05, "any", "{Si} confirmed that its foreign minister would travel to {Tc} next week but gave no details of the agenda.", n=5),
    T("neutral_report", "neutral", 0.0, "any", "{S} said trade with {T} had remained broadly stable over the past year.", n=5),
    T("neutral_report", "neutral", -0.05, "any", "{S} expressed concern about the humanitarian situation in {Tn} after weeks of fighting.", n=5, note="concern about a situation in the target, not about the target's conduct: neutral"),
    T("neutral_report", "neutral", 0.0, "any", "{Si} said it would issue a response to {Tp} proposal \"in due course\".", n=5),
    T("hedged", "neutral", 0.0, "any", "{S} said it was too early to judge whether {Tp} new policy on {topic} would work.", n=5),
    T("neutral_report", "neutral", 0.05, "any", "{Sj} and {T} held the latest round of regular consultations on {topic}, with no breakthrough announced.", n=6),
    T("neutral_report", "neutral", 0.1, "any", "{Sp} received the outgoing {Tadj} ambassador for a farewell meeting on {day}.", n=5),
    T("request", "neutral", 0.05, "any", "{Sm} said it had received a request from {T} to {nreq} and was considering it."),
    T("neutral_report", "neutral", -0.05, "any", "{S} said a scheduled visit by {Tl} had been postponed for logistical reasons."),
    T("consultation", "neutral", 0.05, "any", "{Sj} and {T} will hold the next round of talks on {topic} in {month}, a spokesperson said."),
    T("neutral_report", "neutral", 0.05, "any", "{Sp} told reporters that ties with {T} were \"normal\" and that nothing had changed."),
    T("hedged", "neutral", 0.0, "any", "{S} neither confirmed nor denied that it had been in contact with {T} about {topic}."),
    T("hedged", "neutral", -0.05, "any", "{Si} said it would abstain in the U.N. vote on the resolution concerning {Tn}.", note="abstention: neither support nor opposition"),
    T("neutral_report", "neutral", 0.0, "any", "{Sm} said {Tp} new visa rules would take effect in {month} and advised travellers to check the requirements."),
    T("neutral_report", "neutral", 0.0, "any", "{Si} said it had received {Tp} diplomatic note and would reply through the usual channels."),
    T("consultation", "neutral", 0.1, "any", "The foreign ministers of {Sn} and {Tn} discussed bilateral relations and regional issues by telephone on {day}."),
    T("neutral_report", "neutral", 0.05, "any", "{Sp} met {Tl} on the sidelines of {event}, but no joint statement was issued."),
    T("neutral_report", "neutral", -0.1, "any", "{Si} said it would withdraw non-essential embassy staff from {Tc} as a precaution amid the unrest.", note="precaution about conditions in the target, not a move against it"),
    T("neutral_report", "neutral", -0.1, "any", "{S} updated its travel advisory, urging citizens to exercise caution in {Tn} because of street protests.", note="travel advice: neutral"),
    T("hedged", "neutral", 0.0, "any", "{Si} said it was neither for nor against {Tp} plan on {topic} and would study it with partners."),
    T("neutral_report", "neutral", 0.1, "any", "{Sp} said {Tl} had been invited to {event}, as is customary for all member states."),
    T("neutral_report", "neutral", 0.0, "any", "{S} said it would send observers to monitor the parliamentary election in {Tn} next month."),
    T("neutral_report", "neutral", 0.05, "any", "{Sm} said a new {Sa} consulate would open in {Tc} later this year to handle visa applications."),
    # ----------------------------------------------------- cooperative
    # aid
    T("aid", "cooperative", 0.7, "aid", "{S} pledged ${amount} in {aidtype} to {T}{tail}."),
    T("aid", "cooperative", 0.65, "aid", "{Si} dispatched rescue teams and relief supplies to {Tn} after {disaster}."),
    T("aid", "cooperative", 0.6, "aid", "{S} agreed to provide {T} with fuel and fertiliser to help ease severe shortages."),
    T("aid", "cooperative", 0.7, "aid", "{Si} said it would write off part of {Tp} debt and extend a new credit line."),
    T("aid", "cooperative", 0.8, "milaid", "{S} announced a new package of military aid for {T} worth ${amount}{tail}.", n=7),
    T("aid", "cooperative", 0.75, "milaid", "{Si} said it would deliver air defence systems to {T} \"as quickly as possible\".", n=5),
    T("aid", "cooperative", 0.55, "aid", "{Si} donated {n} ambulances and medical equipment to hospitals in {Tn}."),
    T("aid", "cooperative", 0.5, "aid", "{Si} will train {Tadj} engineers and doctors under a new scholarship scheme, the embassy said."),
    # alliance
    T("alliance", "cooperative", 0.9, "partner", "{Sn} and {Tn} signed a mutual defence pact committing each to come to the other's aid if attacked."),
    T("alliance", "cooperative", 0.85, "partner", "{S} reaffirmed its \"ironclad\" commitment to the defence of {T}{tail}.".replace("{S} reaffirmed its", "{Si} reaffirmed its")),
    T("alliance", "cooperative", 0.75, "partner", "{Sj} and {T} agreed to upgrade their ties to a comprehensive strategic partnership."),
    T("alliance", "cooperative", 0.8, "partner", "{Si} said it would stand by {T} \"for as long as it takes\"."),
    T("alliance", "cooperative", 0.6, "partner", "{S} backed {Tp} bid to join {org}{tail}."),
    T("alliance", "cooperative", 0.7, "partner", "{Sj} and {T} agreed to hold joint naval patrols and share intelligence on maritime threats."),
    # agreement
    T("agreement", "cooperative", 0.6, "partner", "{S} signed a {agreement} agreement with {T}{tail}."),
    T("agreement", "cooperative", 0.55, "any", "{Sj} and {T} reached a deal to {deal} after months of negotiations."),
    T("agreement", "cooperative", 0.5, "any", "Negotiators from {Sn} and {Tn} initialled a draft accord on {topic} in {Tc}."),
    T("agreement", "cooperative", 0.6, "partner", "{Si} ratified a {agreement} agreement with {T}, paving the way for it to take effect next year."),
    T("agreement", "cooperative", 0.45, "any", "{Sj} and {T} agreed to {deal}, according to a joint statement."),
    # visit
    T("visit", "cooperative", 0.55, "partner", "{Sh} arrived in {Tc} on a state visit, the first by a {Sa} leader in {years}."),
    T("visit", "cooperative", 0.45, "partner", "{S} hosted {Tl} for talks on {topic}, with both sides pledging closer ties."),
    T("visit", "cooperative", 0.3, "any", "{Sp} paid a courtesy call on {Tl} during a stopover in {Tc}."),
    T("visit", "cooperative", 0.6, "partner", "{S} rolled out the red carpet for {Tl}, who was greeted with a 21-gun salute."),
    T("visit", "cooperative", 0.4, "any", "{Sp} began a two-day visit to {Tn} aimed at boosting {topic} ties{tail}."),
    # consultation
    T("consultation", "cooperative", 0.35, "any", "{Sj} and {T} agreed to hold a regular strategic dialogue on {topic}."),
    T("consultation", "cooperative", 0.4, "any", "{Si} described its talks with {T} as \"constructive and productive\"{tail}."),
    T("consultation", "cooperative", 0.45, "rival", "{Sj} and {T} agreed to set up a military hotline to avoid incidents at sea.", n=5, note="cooperative step between rivals"),
    T("consultation", "cooperative", 0.3, "rival", "{Si} said it was ready to resume dialogue with {T} without preconditions.", n=5),
    # request
    T("request", "cooperative", 0.3, "any", "{S} asked {T} for help in {request}{tail}."),
    T("request", "cooperative", 0.35, "any", "{S} invited {T} to take part in {event} as a guest country."),
    T("request", "cooperative", 0.3, "partner", "{Si} asked {T} to consider joining a planned investment fund for {topic}."),
    # praise
    T("praise", "cooperative", 0.6, "partner", "{S} praised {Tp} role in {role}{tail}."),
    T("praise", "cooperative", 0.55, "partner", "{S} thanked {T} for its support on {topic}, calling it \"a true friend\"."),
    T("praise", "cooperative", 0.6, "partner", "{S} hailed relations with {T} as \"the best they have ever been\"."),
    T("praise", "cooperative", 0.45, "any", "{S} welcomed {Tp} decision to {gooddecision}{tail}."),
    T("praise", "cooperative", 0.4, "any", "{S} congratulated {T} on its successful hosting of {hosted}."),
    T("praise", "cooperative", 0.3, "rival", "{S} welcomed {Tp} decision to {gooddecision}, calling it \"a positive first step\".", n=5, note="praise between rivals"),
    T("hedged", "cooperative", 0.3, "any", "{Si} expressed regret for the incident and offered compensation to the families of the {Tadj} fishermen.", n=5, note="regret as apology toward the target: conciliatory"),
    T("hedged", "cooperative", 0.25, "rival", "Despite differences, {S} said {T} remained \"an important neighbour\" and that channels of communication were open.", n=5, note="hedged warmth despite tension"),
]

V["campaign"] = [
    "undermine our democracy", "intimidate our fishermen", "divide our society",
    "strangle our economy", "rewrite history", "destabilise our government",
]
V["cond"] = [
    "went ahead with the planned deployment", "crossed its red lines", "violated its territory again",
    "continued to harass its vessels", "pressed ahead with the plan", "kept up its provocations",
    "targeted its citizens",
]

SHORT_TAILS = {
    "any": [" as diplomatic activity intensified ahead of {event}", ", without giving further details",
            " amid a flurry of diplomatic activity in the region"],
    "attrib": [", according to a statement released on {day}", ", officials told reporters",
               ", the state news agency reported", ", a government spokesperson said on {day}",
               ", according to a readout of the meeting", ", diplomats said"],
    "hostile": [", in a move likely to deepen tensions", ", the latest sign of deteriorating relations",
                ", escalating a row that has simmered for months", ", further straining already tense ties"],
    "cooperative": [", in a sign of warming ties", ", the latest step in a growing partnership",
                    ", underscoring closer relations between the two countries"],
    "neutral": [", in what officials described as a routine step", ", a spokesperson said, declining to elaborate"],
}

# --------------------------------------------------------------- mixed ---
# {S} source; {F} friend (cooperative target); {E} foe (hostile target).
MIXED = [
    ("{S} praised {Fp} support while accusing {E} of {accusation}.", 0.55, -0.7),
    ("{S} thanked {F} for its solidarity and sharply criticised {E} for {critfor}.", 0.55, -0.55),
    ("{S} welcomed {Fp} decision to {gooddecision} but condemned {Ep} {action_noun}.", 0.45, -0.55),
    ("While hailing its partnership with {F}, {Si} warned {E} against {warnact}.", 0.55, -0.6),
    ("{Si} signed a security pact with {F}, a move seen as a response to {Ep} growing assertiveness.", 0.8, -0.3),
    ("Speaking after talks with {Fl}, {Sp} accused {E} of {accusation}.", 0.4, -0.7),
    ("{Si} said it would deepen defence ties with {F} to counter threats from {E}.", 0.7, -0.5),
    ("{S} described {F} as \"a reliable partner\" and {E} as \"the main threat to regional stability\".", 0.6, -0.65),
    ("{Si} backed {Fp} position in its dispute with {E}{tail}.", 0.6, -0.4),
    ("{Si} said relations with {F} were \"excellent\" but that ties with {E} had hit a new low.", 0.6, -0.45),
    ("At a joint news conference with {Fl}, {Sp} denounced {Ep} {action_noun} as \"reckless\".", 0.45, -0.6),
    ("{S} imposed sanctions on {E} in coordination with {F}, officials said.", 0.45, -0.7),
    ("{Sp} thanked {F} for its help in {request} and said {E} had refused to cooperate.", 0.5, -0.4),
    ("{S} welcomed {Fp} offer to mediate but said {E} must first halt its attacks.", 0.4, -0.45),
    ("{Si} held joint drills with {F} days after accusing {E} of {accusation}.", 0.6, -0.65),
    ("{S} summoned {Ea} over {issue} hours after hosting {Fl} for friendly talks.", 0.45, -0.55),
    ("{Si} praised {F} for {role}, contrasting it with what it called {Ep} \"destructive behaviour\".", 0.6, -0.6),
    ("{Si} said it would buy more gas from {F} to reduce its dependence on {E}, which it accused of {accusation}.", 0.45, -0.6),
]
V["nreq"] = [
    "extradite a suspect", "expand landing rights for its airline", "reopen a border crossing",
    "share data on a plane crash", "allow more seasonal workers", "repatriate a museum artefact",
]
V["month"] = ["January", "February", "March", "April", "May", "June", "July", "September", "October", "November"]

# Two targets with different stances, at least one of them not hostile.
# (text, (pool, label, tone, cat) for X, (pool, label, tone, cat) for Y); pools are relative to the source.
MIXED2 = [
    ("{Si} signed an energy deal with {X} on {day} and said it had taken note of proposals from {Y}.",
     ("partner", "cooperative", 0.55), ("any", "neutral", 0.0)),
    ("{Sp} praised {Xp} mediation efforts but declined to comment on {Yp} latest proposal.",
     ("partner", "cooperative", 0.5), ("any", "neutral", 0.0)),
    ("After meeting {Xl} for talks on {topic}, {Sp} urged {Y} to exercise restraint.",
     ("partner", "cooperative", 0.3), ("rival", "hostile", -0.2)),
    ("{Si} said it had no plans to sanction {Y} despite calls from {X} to take a tougher line.",
     ("any", "neutral", -0.1), ("any", "neutral", 0.05)),
    ("During a visit to {Xc}, {Sp} stopped short of condemning {Yp} {action_noun}.",
     ("partner", "cooperative", 0.3), ("any", "neutral", -0.1)),
    ("{Si} expressed concern about {Yp} {action_noun} in a joint statement with {X}.",
     ("partner", "cooperative", 0.45), ("rival", "hostile", -0.3)),
    ("{Si} said it would keep buying oil from {Y} while deepening security ties with {X}.",
     ("partner", "cooperative", 0.6), ("any", "cooperative", 0.25)),
    ("{Sp} thanked {X} for hosting the talks and said the next round with {Y} would take place in {month}.",
     ("any", "cooperative", 0.4), ("rival", "neutral", 0.05)),
    ("{Si} congratulated {Xh} on the election victory and said it was monitoring the border situation with {Yn}.",
     ("partner", "cooperative", 0.4), ("rival", "neutral", -0.05)),
]

V["hosted"] = [
    "the regional summit", "the Asian Games", "an international climate conference", "the peace conference",
    "the trade ministers' meeting", "the world cup qualifiers", "the donor conference",
]
NO_RELATIONS = {frozenset(p) for p in pairs("ISR-LBN ISR-SYR ISR-IRN ISR-YEM PRK-KOR ARM-AZE ARM-TUR SAU-ISR DZA-MAR TWN-CHN")}

V["critfor"] = [
    "its silence on the attacks", "blocking the U.N. resolution", "its military build-up",
    "its treatment of minorities", "stalling on the peace deal", "arming militias",
]

# Same sentence, different stance: a neutral third party.
MIXED_NEUTRAL = [
    ("{S} discussed {topic} with {N} on {day} and separately criticised {E} for {critfor}.", 0.05, -0.5,
     "neutral", "mixed"),
    ("{Sp} met {Nl} in {Nc} and used the occasion to accuse {E} of {accusation}.", 0.1, -0.7,
     "neutral", "mixed"),
]


# ---------------------------------------------------------- two-way ---
# Same text, (A -> B) and (B -> A) with different meaning.  Slots use A/B.
TWO_WAY = [
    # text, pool, (catAB, labelAB, toneAB), (catBA, labelBA, toneBA)
    ("{Ai} rebuffed an offer of talks from {B}, saying the conditions were \"unacceptable\".", "rival",
     ("criticism", "hostile", -0.45), ("consultation", "cooperative", 0.3)),
    ("{As} thanked {B} for sending emergency aid after {disaster}.", "aid_rev",
     ("praise", "cooperative", 0.6), ("aid", "cooperative", 0.65)),
    ("{Ai} expelled {n} {Badj} diplomats in retaliation for the expulsion of its own envoys by {B}.", "rival",
     ("summon", "hostile", -0.65), ("summon", "hostile", -0.6)),
    ("{Ai} rejected accusations by {B} that it had {pastaccusation}, calling them \"absurd\".", "rival",
     ("criticism", "hostile", -0.45), ("accusation", "hostile", -0.65)),
    ("{Ai} accepted an invitation from {B} to attend a peace conference next month.", "any",
     ("consultation", "cooperative", 0.35), ("request", "cooperative", 0.35)),
    ("{As} ignored repeated calls from {B} to return to the negotiating table.", "rival",
     ("hedged", "hostile", -0.3), ("request", "cooperative", 0.25)),
    ("{Ai} apologised to {B} after its coast guard mistakenly detained a {Badj} fishing crew.", "rival",
     ("hedged", "cooperative", 0.35), ("neutral_report", "neutral", 0.0)),
    ("{Ai} turned down a request from {B} to extradite a former minister wanted on corruption charges.", "any",
     ("hedged", "hostile", -0.25), ("request", "neutral", 0.1)),
]
V["pastaccusation"] = [
    "interfered in its elections", "sheltered wanted militants", "sabotaged an undersea cable",
    "supplied drones to armed groups", "violated the ceasefire", "spied on its diplomats",
]

# ---------------------------------------------------------- two-target --
# One text, two targets with the same label (same sentence, different targets).
TWO_TARGET = [
    ("{S} urged both {A} and {B} to exercise restraint and return to dialogue.", "hedged", "neutral", -0.1,
     "restraint urged at both sides: neutral, slightly negative"),
    ("{S} called for calm after deadly clashes on the border between {A} and {B}.", "hedged", "neutral", -0.05,
     "'called for calm' toward both sides of a clash: neutral"),
    ("{Sj} signed trade agreements with {A} and {B} during a tour of the region.", "agreement", "cooperative", 0.55, ""),
    ("{S} offered to mediate between {A} and {B}, saying it was on good terms with both.", "consultation", "cooperative", 0.3, ""),
    ("{S} accused {A} and {B} of conspiring to undermine its security.", "accusation", "hostile", -0.7, ""),
]

# Place-target: the target is only where things happen.
PLACE = [
    ("{Sa} and {Xadj} diplomats met in {Pc} for a fresh round of talks on {topic}.",
     ("consultation", "cooperative", 0.3), ("neutral_report", "neutral", 0.0)),
    ("{Sp} criticised {X} in a speech delivered in {Pc} on {day}.",
     ("criticism", "hostile", -0.45), ("neutral_report", "neutral", 0.0)),
    ("{Sj} and {X} signed a ceasefire deal in {Pc} after talks hosted by the government there.",
     ("agreement", "cooperative", 0.6), ("neutral_report", "neutral", 0.1)),
]
PLACE_HOSTS = ["CHE", "QAT", "AUT", "NOR", "TUR", "SAU", "EGY", "SGP", "KAZ", "ARE", "IDN", "JOR"]


# -------------------------------------------------------- hand-written --
# (text, source, target, target_mentions, source_mentions, label, tone, category, note)
HAND = [
    ("Beijing lodged \"stern representations\" with Tokyo after a Japanese lawmaker visited Taiwan, China's foreign ministry said.",
     "CHN", "JPN", ["Tokyo", "Japanese lawmaker"], ["Beijing", "China's foreign ministry"], "hostile", -0.5, "protest", ""),
    ("Beijing lodged \"stern representations\" with Tokyo after a Japanese lawmaker visited Taiwan, China's foreign ministry said.",
     "CHN", "TWN", ["Taiwan"], ["Beijing", "China's foreign ministry"], "neutral", -0.1, "mixed", "Taiwan is the topic, the protest is aimed at Tokyo"),
    ("The Kremlin said it saw \"no prospects\" for talks with Kyiv under current conditions, blaming Western governments for prolonging the conflict.",
     "RUS", "UKR", ["Kyiv"], ["Kremlin"], "hostile", -0.45, "criticism", ""),
    ("Seoul and Tokyo agreed to fully restore an intelligence-sharing pact, ending years of friction over wartime history.",
     "KOR", "JPN", ["Tokyo"], ["Seoul"], "cooperative", 0.7, "agreement", ""),
    ("Seoul and Tokyo agreed to fully restore an intelligence-sharing pact, ending years of friction over wartime history.",
     "JPN", "KOR", ["Seoul"], ["Tokyo"], "cooperative", 0.7, "agreement", ""),
    ("\"We will never accept the so-called ruling,\" a Chinese foreign ministry spokesman said of the tribunal's decision in favour of Manila.",
     "CHN", "PHL", ["Manila"], ["Chinese foreign ministry spokesman"], "hostile", -0.5, "criticism", ""),
    ("Indian External Affairs Minister S. Jaishankar said ties with Beijing could not be normal while troops faced each other along the disputed frontier.",
     "IND", "CHN", ["Beijing"], ["Indian External Affairs Minister S. Jaishankar"], "hostile", -0.4, "criticism", ""),
    ("Washington has no plans to send troops, but will keep supplying Kyiv with weapons and intelligence, a senior U.S. official told reporters.",
     "USA", "UKR", ["Kyiv"], ["Washington", "U.S. official"], "cooperative", 0.7, "aid", "negation concerns troops; overall stance supportive"),
    ("Turkish President Tayyip Erdogan said Sweden's bid to join NATO would not be approved as long as protesters were allowed to burn the Koran in Stockholm.",
     "TUR", "SWE", ["Sweden", "Stockholm"], ["Turkish President Tayyip Erdogan"], "hostile", -0.5, "criticism", ""),
    ("Brazil's foreign ministry said it \"deeply regretted\" Israel's decision to declare President Lula persona non grata and recalled its ambassador for consultations.",
     "BRA", "ISR", ["Israel"], ["Brazil's foreign ministry"], "hostile", -0.5, "summon", ""),
    ("Australia welcomed China's decision to lift tariffs on Australian wine, calling it a sign that patient diplomacy was paying off.",
     "AUS", "CHN", ["China"], ["Australia", "Australian wine"], "cooperative", 0.5, "praise", ""),
    ("Pyongyang's state media called South Korean President Yoon Suk Yeol a \"puppet\" and warned that the North would answer any provocation with force.",
     "PRK", "KOR", ["South Korean President Yoon Suk Yeol"], ["Pyongyang's state media", "North"], "hostile", -0.85, "threat", ""),
    ("The Philippine coast guard accused Chinese vessels of firing water cannon at a resupply mission near Second Thomas Shoal on Saturday.",
     "PHL", "CHN", ["Chinese vessels"], ["Philippine coast guard"], "hostile", -0.7, "accusation", ""),
    ("Mexico's foreign ministry said it was suspending diplomatic relations with Ecuador after police stormed the Mexican embassy in Quito.",
     "MEX", "ECU", ["Ecuador", "Quito"], ["Mexico's foreign ministry", "Mexican embassy"], "hostile", -0.75, "protest", ""),
    ("Ecuador defended the raid on the embassy, saying Mexico had abused diplomatic immunity by sheltering a convicted former vice president.",
     "ECU", "MEX", ["Mexico"], ["Ecuador"], "hostile", -0.55, "accusation", ""),
    ("Saudi Arabia and Iran agreed to reopen embassies within two months under a deal brokered in Beijing, according to a joint statement.",
     "SAU", "IRN", ["Iran"], ["Saudi Arabia"], "cooperative", 0.65, "agreement", ""),
    ("Saudi Arabia and Iran agreed to reopen embassies within two months under a deal brokered in Beijing, according to a joint statement.",
     "IRN", "SAU", ["Saudi Arabia"], ["Iran"], "cooperative", 0.65, "agreement", ""),
    ("Saudi Arabia and Iran agreed to reopen embassies within two months under a deal brokered in Beijing, according to a joint statement.",
     "SAU", "CHN", ["Beijing"], ["Saudi Arabia"], "cooperative", 0.3, "mixed", "China is the mediator/place; accepting its mediation is mildly cooperative"),
    ("Germany said it had no intention of delivering Taurus cruise missiles to Ukraine for now, though Chancellor Olaf Scholz insisted Berlin's support was unwavering.",
     "DEU", "UKR", ["Ukraine"], ["Germany", "Chancellor Olaf Scholz", "Berlin"], "cooperative", 0.45, "hedged", "refusal of one weapon, but support stated: mildly cooperative"),
    ("Hungarian Prime Minister Viktor Orban said he would not block the EU aid package for Ukraine but repeated that Kyiv could not win on the battlefield.",
     "HUN", "UKR", ["Ukraine", "Kyiv"], ["Hungarian Prime Minister Viktor Orban"], "neutral", -0.1, "hedged", "grudging non-opposition mixed with scepticism"),
    ("Algeria recalled its ambassador to Madrid after Spain backed Morocco's autonomy plan for Western Sahara.",
     "DZA", "ESP", ["Madrid", "Spain"], ["Algeria"], "hostile", -0.6, "summon", ""),
    ("Algeria recalled its ambassador to Madrid after Spain backed Morocco's autonomy plan for Western Sahara.",
     "ESP", "MAR", ["Morocco"], ["Spain"], "cooperative", 0.55, "mixed", "Spain's backing of Morocco's plan"),
    ("Canada expelled an Indian diplomat over what Prime Minister Justin Trudeau called \"credible allegations\" linking New Delhi to the killing of a Sikh leader.",
     "CAN", "IND", ["Indian diplomat", "New Delhi"], ["Canada", "Prime Minister Justin Trudeau"], "hostile", -0.75, "summon", ""),
    ("India dismissed the allegations as \"absurd and motivated\" and ordered a senior Canadian diplomat to leave the country within five days.",
     "IND", "CAN", ["Canadian diplomat"], ["India"], "hostile", -0.7, "summon", ""),
    ("Japan will provide the Philippine coast guard with five more patrol vessels under a loan agreement signed in Manila on Tuesday.",
     "JPN", "PHL", ["Philippine coast guard", "Manila"], ["Japan"], "cooperative", 0.7, "aid", ""),
    ("Kenyan President William Ruto said Nairobi stood ready to lead a multinational security mission to Haiti if the U.N. Security Council approved it.",
     "KEN", "USA", [], [], "neutral", 0.0, "neutral_report", "DROP"),
    ("Russia vetoed a U.N. Security Council resolution drafted by the United States, calling the text \"a cynical attempt\" to legitimise Western pressure.",
     "RUS", "USA", ["United States"], ["Russia"], "hostile", -0.55, "criticism", ""),
    ("Russian Foreign Minister Sergei Lavrov and his Chinese counterpart Wang Yi pledged to coordinate closely at the United Nations and oppose \"hegemonism\".",
     "RUS", "CHN", ["Chinese counterpart Wang Yi"], ["Russian Foreign Minister Sergei Lavrov"], "cooperative", 0.65, "alliance", ""),
    ("Russian Foreign Minister Sergei Lavrov and his Chinese counterpart Wang Yi pledged to coordinate closely at the United Nations and oppose \"hegemonism\".",
     "CHN", "RUS", ["Russian Foreign Minister Sergei Lavrov"], ["Chinese counterpart Wang Yi"], "cooperative", 0.65, "alliance", ""),
    ("Egypt warned that Ethiopia's unilateral filling of the giant dam on the Blue Nile posed \"an existential threat\" and that Cairo would defend its water rights.",
     "EGY", "ETH", ["Ethiopia"], ["Egypt", "Cairo"], "hostile", -0.7, "threat", ""),
    ("Ethiopia said it had no intention of harming downstream countries and invited Egypt and Sudan to resume talks on the dam.",
     "ETH", "EGY", ["Egypt"], ["Ethiopia"], "cooperative", 0.3, "request", ""),
    ("Ethiopia said it had no intention of harming downstream countries and invited Egypt and Sudan to resume talks on the dam.",
     "ETH", "SDN", ["Sudan"], ["Ethiopia"], "cooperative", 0.3, "request", ""),
    ("Greece and Turkey pledged to keep communication channels open and reduce tensions in the Aegean, in a rare show of warmth between the NATO neighbours.",
     "GRC", "TUR", ["Turkey"], ["Greece"], "cooperative", 0.5, "consultation", ""),
    ("Greece and Turkey pledged to keep communication channels open and reduce tensions in the Aegean, in a rare show of warmth between the NATO neighbours.",
     "TUR", "GRC", ["Greece"], ["Turkey"], "cooperative", 0.5, "consultation", ""),
    ("Armenia froze its participation in the Russian-led security bloc, accusing Moscow of failing to protect it during the conflict with Azerbaijan.",
     "ARM", "RUS", ["Russian-led security bloc", "Moscow"], ["Armenia"], "hostile", -0.55, "accusation", ""),
    ("Armenia froze its participation in the Russian-led security bloc, accusing Moscow of failing to protect it during the conflict with Azerbaijan.",
     "ARM", "AZE", ["Azerbaijan"], ["Armenia"], "neutral", -0.15, "mixed", "Azerbaijan only named as the adversary in background"),
    ("Vietnam's foreign ministry said it \"resolutely opposed\" China's new ten-dash map, saying it violated Hanoi's sovereignty over the Paracel and Spratly islands.",
     "VNM", "CHN", ["China"], ["Vietnam's foreign ministry", "Hanoi"], "hostile", -0.5, "protest", ""),
    ("South Africa filed a case at the International Court of Justice accusing Israel of genocide in Gaza, a charge Israel rejected as \"baseless\".",
     "ZAF", "ISR", ["Israel"], ["South Africa"], "hostile", -0.8, "accusation", ""),
    ("South Africa filed a case at the International Court of Justice accusing Israel of genocide in Gaza, a charge Israel rejected as \"baseless\".",
     "ISR", "ZAF", ["South Africa"], ["Israel"], "hostile", -0.5, "criticism", ""),
    ("Qatar's prime minister said Doha was \"re-evaluating\" its mediation role, accusing some politicians of exploiting the talks for narrow interests.",
     "QAT", "ISR", [], [], "neutral", 0.0, "neutral_report", "DROP"),
    ("Norway, Ireland and Spain announced they would formally recognise a Palestinian state, prompting Israel to recall its ambassadors from Oslo and Madrid.",
     "ISR", "NOR", ["Oslo", "Norway"], ["Israel"], "hostile", -0.6, "summon", ""),
    ("Norway, Ireland and Spain announced they would formally recognise a Palestinian state, prompting Israel to recall its ambassadors from Oslo and Madrid.",
     "ISR", "ESP", ["Madrid", "Spain"], ["Israel"], "hostile", -0.6, "summon", ""),
    ("Norway, Ireland and Spain announced they would formally recognise a Palestinian state, prompting Israel to recall its ambassadors from Oslo and Madrid.",
     "ESP", "NOR", ["Oslo", "Norway"], ["Spain", "Madrid"], "cooperative", 0.3, "mixed", "joint announcement by the two governments"),
    ("Finland closed its entire border with Russia, saying Moscow was deliberately pushing migrants toward Finnish crossings in a form of hybrid warfare.",
     "FIN", "RUS", ["Russia", "Moscow"], ["Finland", "Finnish crossings"], "hostile", -0.7, "accusation", ""),
    ("Poland said it would not hesitate to shoot down Russian missiles that strayed into its airspace, after a projectile crossed the border for 39 seconds.",
     "POL", "RUS", ["Russian missiles"], ["Poland"], "hostile", -0.75, "threat", ""),
    ("The Solomon Islands said a security pact with China would not allow Beijing to build a military base, seeking to reassure Canberra.",
     "SLB", "CHN", ["China", "Beijing"], ["Solomon Islands"], "cooperative", 0.5, "alliance", ""),
    ("The Solomon Islands said a security pact with China would not allow Beijing to build a military base, seeking to reassure Canberra.",
     "SLB", "AUS", ["Canberra"], ["Solomon Islands"], "cooperative", 0.25, "hedged", "reassurance toward Australia"),
    ("Lithuania allowed Taiwan to open a representative office under its own name, drawing a furious response from Beijing, which downgraded ties with Vilnius.",
     "CHN", "LTU", ["Lithuania", "Vilnius"], ["Beijing"], "hostile", -0.65, "summon", ""),
    ("Lithuania allowed Taiwan to open a representative office under its own name, drawing a furious response from Beijing, which downgraded ties with Vilnius.",
     "LTU", "TWN", ["Taiwan"], ["Lithuania"], "cooperative", 0.5, "agreement", ""),
    ("Niger's military rulers ordered French troops to leave the country and revoked a string of defence agreements with Paris.",
     "NER", "FRA", ["French troops", "Paris"], ["Niger's military rulers"], "hostile", -0.7, "protest", ""),
    ("Mali's junta welcomed Russian military instructors, saying Moscow had proved a more dependable partner than the former colonial power.",
     "MLI", "RUS", ["Russian military instructors", "Moscow"], ["Mali's junta"], "cooperative", 0.65, "praise", ""),
    ("Mali's junta welcomed Russian military instructors, saying Moscow had proved a more dependable partner than the former colonial power.",
     "MLI", "FRA", ["former colonial power"], ["Mali's junta"], "hostile", -0.35, "mixed", "implicit criticism of France"),
    ("Guyanese President Irfaan Ali said Georgetown would not cede \"a single square inch\" of Essequibo and urged Caracas to respect the border ruling.",
     "GUY", "VEN", ["Caracas"], ["Guyanese President Irfaan Ali", "Georgetown"], "hostile", -0.45, "criticism", ""),
    ("Venezuelan President Nicolas Maduro ordered the creation of a new state in the oil-rich Essequibo region claimed by Guyana.",
     "VEN", "GUY", ["Guyana"], ["Venezuelan President Nicolas Maduro"], "hostile", -0.7, "threat", ""),
    ("Argentine President Javier Milei said he would seek a diplomatic path to recover the Falkland Islands, acknowledging the process could take decades.",
     "ARG", "GBR", [], [], "neutral", 0.0, "neutral_report", "DROP"),
    ("Britain said the sovereignty of the Falkland Islands was \"not up for discussion\" after Argentina's president renewed his country's claim.",
     "GBR", "ARG", ["Argentina"], ["Britain"], "hostile", -0.35, "criticism", ""),
    ("Chinese President Xi Jinping told U.S. President Joe Biden that Washington should stop arming Taiwan, calling the island the most dangerous issue in ties.",
     "CHN", "USA", ["U.S. President Joe Biden", "Washington"], ["Chinese President Xi Jinping"], "hostile", -0.45, "request", ""),
    ("Chinese President Xi Jinping told U.S. President Joe Biden that Washington should stop arming Taiwan, calling the island the most dangerous issue in ties.",
     "CHN", "TWN", ["Taiwan"], ["Chinese President Xi Jinping"], "hostile", -0.3, "mixed", "Taiwan framed as 'most dangerous issue'"),
    ("Biden and Xi agreed to resume military-to-military communications, a modest step that U.S. officials said would reduce the risk of miscalculation.",
     "USA", "CHN", ["Xi"], ["Biden", "U.S. officials"], "cooperative", 0.4, "consultation", ""),
    ("Biden and Xi agreed to resume military-to-military communications, a modest step that U.S. officials said would reduce the risk of miscalculation.",
     "CHN", "USA", ["Biden"], ["Xi"], "cooperative", 0.4, "consultation", ""),
    ("Iran's foreign ministry strongly condemned the Israeli strike on its consulate in Damascus and vowed that the attack \"will not go unanswered\".",
     "IRN", "ISR", ["Israeli strike"], ["Iran's foreign ministry"], "hostile", -0.9, "threat", ""),
    ("Iran's foreign ministry strongly condemned the Israeli strike on its consulate in Damascus and vowed that the attack \"will not go unanswered\".",
     "IRN", "SYR", ["Damascus"], ["Iran's foreign ministry"], "neutral", 0.0, "neutral_report", "Damascus is only the location"),
    ("Jordan said its air defences had intercepted Iranian drones that entered Jordanian airspace, stressing it would not let its territory become a battleground.",
     "JOR", "IRN", ["Iranian drones"], ["Jordan", "Jordanian airspace"], "hostile", -0.45, "strike", ""),
    ("Singapore's foreign minister said the city-state would not take sides between Washington and Beijing, and wanted good relations with both.",
     "SGP", "USA", ["Washington"], ["Singapore's foreign minister"], "neutral", 0.15, "hedged", "explicit non-alignment"),
    ("Singapore's foreign minister said the city-state would not take sides between Washington and Beijing, and wanted good relations with both.",
     "SGP", "CHN", ["Beijing"], ["Singapore's foreign minister"], "neutral", 0.15, "hedged", "explicit non-alignment"),
    ("Indonesia's foreign ministry expressed \"deep concern\" over the AUKUS submarine deal, warning that Australia's plans could fuel an arms race in the region.",
     "IDN", "AUS", ["Australia"], ["Indonesia's foreign ministry"], "hostile", -0.35, "hedged", "'deep concern' plus a warning"),
    ("Kazakh President Kassym-Jomart Tokayev said Astana would not recognise the breakaway regions, declining to back Moscow's position despite close ties.",
     "KAZ", "RUS", ["Moscow"], ["Kazakh President Kassym-Jomart Tokayev", "Astana"], "neutral", -0.15, "hedged", "refusal to follow an ally, polite"),
    ("Rwandan President Paul Kagame dismissed Kinshasa's accusations that Kigali backs the M23 rebels, saying Congo should look at its own failures.",
     "RWA", "COD", ["Kinshasa", "Congo"], ["Rwandan President Paul Kagame", "Kigali"], "hostile", -0.5, "criticism", ""),
    ("Congolese President Felix Tshisekedi compared Rwanda's leader to Adolf Hitler and said he would not rule out declaring war on Kigali.",
     "COD", "RWA", ["Rwanda's leader", "Kigali"], ["Congolese President Felix Tshisekedi"], "hostile", -0.9, "threat", "negated hedge is a threat"),
    ("Pakistan's foreign office said the airstrike by Iran was \"completely unacceptable\" and expelled the Iranian ambassador, two days before Islamabad struck back.",
     "PAK", "IRN", ["Iran", "Iranian ambassador"], ["Pakistan's foreign office", "Islamabad"], "hostile", -0.85, "strike", ""),
    ("Weeks after the tit-for-tat strikes, Iranian and Pakistani foreign ministers met in Islamabad and agreed to restore ambassadors.",
     "IRN", "PAK", ["Pakistani foreign ministers", "Islamabad"], ["Iranian"], "cooperative", 0.5, "consultation", ""),
    ("Australian Foreign Minister Penny Wong said she had raised the detention of an Australian writer with her Chinese counterpart in \"frank\" terms.",
     "AUS", "CHN", ["Chinese counterpart"], ["Australian Foreign Minister Penny Wong"], "hostile", -0.3, "hedged", "'frank' signals disagreement"),
    ("New Zealand Foreign Minister Winston Peters said Wellington had concerns about Chinese cyber activity but valued its trade relationship with Beijing.",
     "NZL", "CHN", ["Chinese cyber activity", "Beijing"], ["New Zealand Foreign Minister Winston Peters", "Wellington"], "neutral", -0.15, "mixed", "concern balanced by valued trade"),
    ("The Netherlands said it would restrict exports of advanced chip-making machines to China, a move Beijing denounced as \"technological bullying\".",
     "NLD", "CHN", ["China"], ["Netherlands"], "hostile", -0.45, "sanction", ""),
    ("The Netherlands said it would restrict exports of advanced chip-making machines to China, a move Beijing denounced as \"technological bullying\".",
     "CHN", "NLD", ["Netherlands"], ["Beijing"], "hostile", -0.55, "criticism", ""),
    ("Italy's foreign ministry confirmed that Rome had formally notified Beijing of its exit from the Belt and Road Initiative, while stressing its wish for good relations.",
     "ITA", "CHN", ["Beijing"], ["Italy's foreign ministry", "Rome"], "neutral", -0.1, "hedged", "withdrawal softened by goodwill"),
    ("Sri Lanka barred foreign research vessels from its ports for a year after India raised concerns about Chinese ships docking in Colombo.",
     "IND", "CHN", ["Chinese ships"], ["India"], "hostile", -0.3, "hedged", "raising concerns about the target"),
    ("Sri Lanka barred foreign research vessels from its ports for a year after India raised concerns about Chinese ships docking in Colombo.",
     "LKA", "IND", ["India"], ["Sri Lanka"], "cooperative", 0.3, "mixed", "accommodating India's concerns"),
    ("Bangladeshi Prime Minister Sheikh Hasina thanked New Delhi for its support during the liberation war and signed agreements on railways and power trade.",
     "BGD", "IND", ["New Delhi"], ["Bangladeshi Prime Minister Sheikh Hasina"], "cooperative", 0.7, "agreement", ""),
    ("Nepal's cabinet approved a new banknote bearing a map that includes territory also claimed by India, prompting New Delhi to call the move \"unilateral\".",
     "IND", "NPL", ["Nepal"], ["New Delhi"], "hostile", -0.35, "criticism", ""),
    ("Mongolia said it would stay neutral and would not arrest the visiting Russian president, despite an international warrant.",
     "MNG", "RUS", ["Russian president"], ["Mongolia"], "neutral", 0.15, "hedged", "declining to act against the visitor"),
    ("Chilean President Gabriel Boric criticised Venezuela's electoral authorities, saying the announced results were \"hard to believe\".",
     "CHL", "VEN", ["Venezuela"], ["Chilean President Gabriel Boric"], "hostile", -0.45, "criticism", ""),
    ("Colombian President Gustavo Petro said Bogota would act as a bridge between Caracas and Washington rather than join efforts to isolate Maduro.",
     "COL", "VEN", ["Caracas", "Maduro"], ["Colombian President Gustavo Petro", "Bogota"], "cooperative", 0.3, "consultation", ""),
    ("Colombian President Gustavo Petro said Bogota would act as a bridge between Caracas and Washington rather than join efforts to isolate Maduro.",
     "COL", "USA", ["Washington"], ["Colombian President Gustavo Petro", "Bogota"], "neutral", 0.1, "mixed", "mediation role, neither warm nor hostile"),
    ("Cuban Foreign Minister Bruno Rodriguez called the U.S. embargo \"an act of economic warfare\" in a speech to the U.N. General Assembly.",
     "CUB", "USA", ["U.S. embargo"], ["Cuban Foreign Minister Bruno Rodriguez"], "hostile", -0.6, "criticism", ""),
    ("Tanzanian President Samia Suluhu Hassan and Kenyan President William Ruto agreed to remove trade barriers along their shared border.",
     "TZA", "KEN", ["Kenyan President William Ruto"], ["Tanzanian President Samia Suluhu Hassan"], "cooperative", 0.55, "agreement", ""),
    ("Ghana's foreign ministry said it was \"closely following\" the political crisis in Senegal and urged all parties to respect the constitution.",
     "GHA", "SEN", ["Senegal"], ["Ghana's foreign ministry"], "neutral", -0.05, "hedged", "monitoring plus general appeal"),
    ("Nigeria's foreign ministry said Abuja remained committed to dialogue with Niger's junta even as West African leaders kept sanctions in place.",
     "NGA", "NER", ["Niger's junta"], ["Nigeria's foreign ministry", "Abuja"], "neutral", 0.15, "hedged", "dialogue despite sanctions regime"),
    ("Emirati officials denied supplying weapons to Sudan's Rapid Support Forces, after Sudan's army-led government accused Abu Dhabi of fuelling the war.",
     "SDN", "ARE", ["Abu Dhabi"], ["Sudan's army-led government"], "hostile", -0.7, "accusation", ""),
    ("Emirati officials denied supplying weapons to Sudan's Rapid Support Forces, after Sudan's army-led government accused Abu Dhabi of fuelling the war.",
     "ARE", "SDN", ["Sudan's army-led government"], ["Emirati officials", "Abu Dhabi"], "hostile", -0.3, "criticism", "denial of the target's accusation"),
    ("Malaysian Prime Minister Anwar Ibrahim said Kuala Lumpur would keep buying Chinese goods and would not be pressured into choosing sides.",
     "MYS", "CHN", ["Chinese goods"], ["Malaysian Prime Minister Anwar Ibrahim", "Kuala Lumpur"], "cooperative", 0.3, "hedged", ""),
    ("Thai Prime Minister Srettha Thavisin said Bangkok would offer humanitarian corridors along its border with Myanmar and urged the junta to engage in talks.",
     "THA", "MMR", ["Myanmar", "junta"], ["Thai Prime Minister Srettha Thavisin", "Bangkok"], "neutral", 0.1, "hedged", "aid for the population plus an appeal"),
    ("Uzbek President Shavkat Mirziyoyev and Kazakh President Kassym-Jomart Tokayev signed a treaty on allied relations in Tashkent.",
     "UZB", "KAZ", ["Kazakh President Kassym-Jomart Tokayev"], ["Uzbek President Shavkat Mirziyoyev", "Tashkent"], "cooperative", 0.85, "alliance", ""),
    ("Papua New Guinea Prime Minister James Marape said Port Moresby's security deal with Canberra did not close the door to economic ties with Beijing.",
     "PNG", "AUS", ["Canberra"], ["Papua New Guinea Prime Minister James Marape", "Port Moresby"], "cooperative", 0.6, "alliance", ""),
    ("Papua New Guinea Prime Minister James Marape said Port Moresby's security deal with Canberra did not close the door to economic ties with Beijing.",
     "PNG", "CHN", ["Beijing"], ["Papua New Guinea Prime Minister James Marape", "Port Moresby"], "neutral", 0.15, "mixed", "door left open: neutral-positive"),
    ("Serbian President Aleksandar Vucic said Belgrade would never impose sanctions on Moscow, calling Russia a \"brotherly nation\".",
     "SRB", "RUS", ["Moscow", "Russia"], ["Serbian President Aleksandar Vucic", "Belgrade"], "cooperative", 0.6, "praise", "negation of sanctions + praise"),
    ("Georgian officials said Tbilisi had no plans to join Western sanctions against Russia, citing the risk to the country's economy.",
     "GEO", "RUS", ["Russia"], ["Georgian officials", "Tbilisi"], "neutral", 0.05, "hedged", "'no plans to impose sanctions'"),
    ("Moldovan President Maia Sandu accused Moscow of plotting a coup to topple her pro-Western government using foreign saboteurs.",
     "MDA", "RUS", ["Moscow"], ["Moldovan President Maia Sandu"], "hostile", -0.75, "accusation", ""),
    ("Romania's foreign ministry summoned the Russian charge d'affaires after drone fragments were found on Romanian soil near the Danube.",
     "ROU", "RUS", ["Russian charge d'affaires"], ["Romania's foreign ministry", "Romanian soil"], "hostile", -0.55, "summon", ""),
    ("Estonian Prime Minister Kaja Kallas said Tallinn would not be intimidated after Russia placed her on a wanted list.",
     "EST", "RUS", ["Russia"], ["Estonian Prime Minister Kaja Kallas", "Tallinn"], "hostile", -0.4, "criticism", ""),
    ("Estonian Prime Minister Kaja Kallas said Tallinn would not be intimidated after Russia placed her on a wanted list.",
     "RUS", "EST", ["Estonian Prime Minister Kaja Kallas"], ["Russia"], "hostile", -0.6, "sanction", "putting a foreign leader on a wanted list"),
    ("The Czech government said it would organise the purchase of hundreds of thousands of artillery shells for Ukraine from countries outside the EU.",
     "CZE", "UKR", ["Ukraine"], ["Czech government"], "cooperative", 0.75, "aid", ""),
    ("Austria's foreign ministry said Vienna was ready to host talks between Armenia and Azerbaijan, in keeping with its tradition of neutrality.",
     "AUT", "ARM", ["Armenia"], ["Austria's foreign ministry", "Vienna"], "cooperative", 0.25, "consultation", "offer of good offices"),
    ("Austria's foreign ministry said Vienna was ready to host talks between Armenia and Azerbaijan, in keeping with its tradition of neutrality.",
     "AUT", "AZE", ["Azerbaijan"], ["Austria's foreign ministry", "Vienna"], "cooperative", 0.25, "consultation", "offer of good offices"),
    ("Swiss officials said Bern would host a peace summit on Ukraine in June, but Russia had not been invited.",
     "CHE", "UKR", ["Ukraine"], ["Swiss officials", "Bern"], "cooperative", 0.4, "consultation", ""),
    ("Swiss officials said Bern would host a peace summit on Ukraine in June, but Russia had not been invited.",
     "CHE", "RUS", ["Russia"], ["Swiss officials", "Bern"], "neutral", -0.15, "mixed", "exclusion stated factually"),
    ("Peru's Congress declared the Mexican president persona non grata after he questioned the legitimacy of the Peruvian government.",
     "PER", "MEX", ["Mexican president"], ["Peru's Congress"], "hostile", -0.6, "protest", ""),
    ("Peru's Congress declared the Mexican president persona non grata after he questioned the legitimacy of the Peruvian government.",
     "MEX", "PER", ["Peruvian government"], ["Mexican president"], "hostile", -0.4, "criticism", ""),
    ("Moroccan officials welcomed France's recognition of Rabat's sovereignty over Western Sahara as \"a historic turning point\" in bilateral ties.",
     "MAR", "FRA", ["France"], ["Moroccan officials", "Rabat"], "cooperative", 0.7, "praise", ""),
    ("Lebanese caretaker Prime Minister Najib Mikati urged the international community to pressure Israel to halt its strikes on southern Lebanon.",
     "LBN", "ISR", ["Israel"], ["Lebanese caretaker Prime Minister Najib Mikati", "southern Lebanon"], "hostile", -0.45, "request", ""),
    ("Iraqi Prime Minister Mohammed Shia al-Sudani condemned the U.S. strike in Baghdad as a violation of Iraqi sovereignty but said Iraq still valued the partnership with Washington.",
     "IRQ", "USA", ["U.S. strike", "Washington"], ["Iraqi Prime Minister Mohammed Shia al-Sudani", "Iraqi sovereignty"], "hostile", -0.4, "hedged", "condemnation tempered by stated partnership"),
    ("Syrian officials said Damascus would welcome the return of Arab ambassadors, after Saudi Arabia announced it was reopening its embassy.",
     "SYR", "SAU", ["Saudi Arabia"], ["Syrian officials", "Damascus"], "cooperative", 0.45, "praise", ""),
    ("Syrian officials said Damascus would welcome the return of Arab ambassadors, after Saudi Arabia announced it was reopening its embassy.",
     "SAU", "SYR", ["Syrian officials", "Damascus"], ["Saudi Arabia"], "cooperative", 0.5, "visit", "reopening an embassy"),
    ("Ukrainian Foreign Minister Dmytro Kuleba said Hungary's veto on EU funds was \"blackmail\" but that Kyiv was still ready to meet Budapest halfway.",
     "UKR", "HUN", ["Hungary", "Budapest"], ["Ukrainian Foreign Minister Dmytro Kuleba", "Kyiv"], "hostile", -0.4, "hedged", "harsh word plus openness"),
    ("Polish Foreign Minister Radoslaw Sikorski called Belarusian President Alexander Lukashenko a \"vassal\" of the Kremlin and warned Minsk against further border provocations.",
     "POL", "BLR", ["Belarusian President Alexander Lukashenko", "Minsk"], ["Polish Foreign Minister Radoslaw Sikorski"], "hostile", -0.65, "threat", ""),
    ("Polish Foreign Minister Radoslaw Sikorski called Belarusian President Alexander Lukashenko a \"vassal\" of the Kremlin and warned Minsk against further border provocations.",
     "POL", "RUS", ["Kremlin"], ["Polish Foreign Minister Radoslaw Sikorski"], "hostile", -0.35, "mixed", "insult aimed at Minsk, Kremlin cast as overlord"),
    ("Japanese Prime Minister Fumio Kishida said Tokyo was seeking a summit with North Korean leader Kim Jong Un to resolve the issue of abducted citizens.",
     "JPN", "PRK", ["North Korean leader Kim Jong Un"], ["Japanese Prime Minister Fumio Kishida", "Tokyo"], "cooperative", 0.3, "request", ""),
    ("Kim Yo Jong said Pyongyang had no interest in talks with Tokyo unless Japan dropped the abduction issue, calling the overture \"meaningless\".",
     "PRK", "JPN", ["Tokyo", "Japan"], ["Kim Yo Jong", "Pyongyang"], "hostile", -0.4, "criticism", ""),
    ("Taiwan's foreign ministry thanked the U.S. Congress for approving military aid, saying the support showed Washington's \"rock-solid\" commitment.",
     "TWN", "USA", ["U.S. Congress", "Washington"], ["Taiwan's foreign ministry"], "cooperative", 0.7, "praise", ""),
    ("France's foreign ministry said Paris \"deplored\" the decision by Azerbaijan to expel two French diplomats and would respond in kind.",
     "FRA", "AZE", ["Azerbaijan"], ["France's foreign ministry", "Paris"], "hostile", -0.6, "summon", ""),
    ("French President Emmanuel Macron said he did not rule out sending Western troops to Ukraine, remarks that drew a sharp warning from the Kremlin.",
     "FRA", "UKR", ["Ukraine"], ["French President Emmanuel Macron"], "cooperative", 0.5, "hedged", "'did not rule out' here means support for the target"),
    ("French President Emmanuel Macron said he did not rule out sending Western troops to Ukraine, remarks that drew a sharp warning from the Kremlin.",
     "RUS", "FRA", ["French President Emmanuel Macron"], ["Kremlin"], "hostile", -0.6, "threat", ""),
    ("Spanish Prime Minister Pedro Sanchez said Madrid's relationship with Rabat was \"stronger than ever\" as the two countries signed deals on migration and energy.",
     "ESP", "MAR", ["Rabat"], ["Spanish Prime Minister Pedro Sanchez", "Madrid"], "cooperative", 0.65, "praise", ""),
    ("Swedish Prime Minister Ulf Kristersson said Stockholm had done everything Ankara asked and now expected Turkey to ratify its NATO membership.",
     "SWE", "TUR", ["Ankara", "Turkey"], ["Swedish Prime Minister Ulf Kristersson", "Stockholm"], "neutral", 0.0, "request", "firm expectation, neither warm nor hostile"),
    ("The U.S. ambassador in Tokyo met Japan's new foreign minister for an introductory meeting, the embassy said.",
     "USA", "JPN", ["Tokyo", "Japan's new foreign minister"], ["U.S. ambassador"], "neutral", 0.15, "visit", "routine courtesy meeting"),
    ("Yemen's Houthi movement said it would keep targeting ships linked to Israel in the Red Sea until the war in Gaza ended.",
     "YEM", "ISR", ["Israel"], ["Yemen's Houthi movement"], "hostile", -0.85, "threat", ""),
    ("Egyptian President Abdel Fattah al-Sisi and Qatar's Emir Sheikh Tamim bin Hamad Al Thani agreed to coordinate efforts to secure a ceasefire.",
     "EGY", "QAT", ["Qatar's Emir Sheikh Tamim bin Hamad Al Thani"], ["Egyptian President Abdel Fattah al-Sisi"], "cooperative", 0.55, "consultation", ""),
    ("Ecuadorean President Daniel Noboa said Quito had asked Washington for help fighting drug gangs, including equipment and intelligence.",
     "ECU", "USA", ["Washington"], ["Ecuadorean President Daniel Noboa", "Quito"], "cooperative", 0.4, "request", ""),
]
# drop placeholders I marked while drafting
HAND = [h for h in HAND if h[8] != "DROP"]
VALID_ISO3.add("MMR")


# ------------------------------------------------------------- engine ---
class Skip(Exception):
    """A template slot has no surface form for this country."""

class Builder:
    def __init__(self, seed=SEED):
        self.rng = random.Random(seed)
        self.rows = []
        self.seen = set()

    # surface-form helpers: each returns (text, mention)
    def pick(self, forms):
        s = self.rng.choice(forms)
        return s, strip_article(s)

    def fill_vocab(self, text):
        def rep(m):
            key = m.group(1)
            if key in V:
                val = self.rng.choice(V[key])
                return self.fill_vocab(val)
            return m.group(0)
        # only lowercase vocab keys
        return re.sub(r"\{([a-z_0-9]+)\}", rep, text)

    def country_slots(self, prefix, c: Country, role: str):
        """Return dict slot->(text, mention or None)."""
        r = self.rng
        d = {}
        if role == "S":
            d["S"] = self.pick(subj_any(c))
            d["Si"] = self.pick(subj_inst(c))
            d["Sp"] = self.pick(person_forms(c) + ([f"{c.adj} officials"] if r.random() < 0.2 else []))
            d["Smil"] = self.pick(c.mil)
            d["Sm"] = self.pick([c.ministry])
            d["Sa"] = (c.adj, c.adj)
            d["Sc"] = (c.capital, c.capital)
            d["Sn"] = (c.name, strip_article(c.name))
            d["Sj"] = self.pick([c.name, c.capital])
            d["Sh"] = (c.leader, c.leader) if c.leader else None
            d["As"] = d["S"]
            d["Ai"] = d["Si"]
        else:
            p = prefix
            d[p] = self.pick(obj_forms(c))
            d[p + "p"] = self.pick(poss_forms(c))
            amb = r.choice([f"the {c.adj} ambassador", f"the {c.adj} ambassador", f"{c.capital}'s ambassador", f"the {c.adj} envoy"])
            amb_m = strip_article(amb)
            d[p + "a"] = (amb, amb_m)
            d[p + "n"] = (c.name, strip_article(c.name))
            d[p + "c"] = (c.capital, c.capital)
            d[p + "l"] = self.pick(person_forms(c) if r.random() < 0.8 else [f"{c.adj} officials"])
            d[p + "adj"] = (c.adj, c.adj)
            d[p + "h"] = (c.leader, c.leader) if c.leader else None
        return d

    def lengthen(self, text, label=None):
        """Short sentences get an attribution or context clause (news-wire register)."""
        if len(text.split()) >= 15 or not text.endswith(".") or self.rng.random() < 0.25:
            return text
        pool = list(SHORT_TAILS["any"])
        if not re.search(r"\b(said|told|according|reported)\b", text):
            pool += SHORT_TAILS["attrib"] * 2
        if label:
            pool += SHORT_TAILS[label] * 2
        return text[:-1] + self.fill_vocab(self.rng.choice(pool)) + "."

    def render(self, text, slots):
        """Replace {Slot} placeholders; returns text and dict slot->mentions used."""
        used = {}

        def rep(m):
            key = m.group(1)
            if key in slots:
                if slots[key] is None:
                    raise Skip(key)
                t, mention = slots[key]
                used.setdefault(key, []).append(mention)
                return t
            return m.group(0)
        out = re.sub(r"\{([A-Z][A-Za-z]*)\}", rep, text)
        out = self.fill_vocab(out)
        out = out[0].upper() + out[1:]
        out = re.sub(r"\b([Aa]) (?=[AEIO]|Uzbek)", r"\1n ", out)
        return out, used

    def safe_render(self, text, slots):
        try:
            return self.render(text, slots)
        except Skip:
            return text, None

    def add(self, text, src, tgt, tm, sm, label, tone, cat, note=""):
        tm = sorted(set(m for m in tm if m))
        sm = sorted(set(m for m in sm if m))
        key = (text, tgt)
        if key in self.seen:
            return False
        if not self.valid(text, src, tgt, tm, sm, label, tone, cat):
            return False
        self.seen.add(key)
        self.rows.append({
            "text": text, "source": src, "target": tgt, "target_mentions": tm,
            "source_mentions": sm, "label": label, "tone": round(tone, 2), "category": cat, "note": note,
        })
        return True

    @staticmethod
    def spans(text, m):
        out, i = [], text.find(m)
        while i >= 0:
            out.append((i, i + len(m)))
            i = text.find(m, i + 1)
        return out

    def valid(self, text, src, tgt, tm, sm, label, tone, cat, strict=False):
        problems = []
        if src == tgt:
            problems.append("source == target")
        if src not in VALID_ISO3 or tgt not in VALID_ISO3:
            problems.append("bad iso")
        if not tm or not sm:
            problems.append("missing mentions")
        for m in tm + sm:
            if m not in text:
                problems.append(f"mention not in text: {m!r}")
        ts = [s for m in tm for s in self.spans(text, m)]
        ss = [s for m in sm for s in self.spans(text, m)]
        for a in ts:
            for b in ss:
                if a[0] < b[1] and b[0] < a[1]:
                    problems.append(f"overlap {text[a[0]:a[1]]!r} / {text[b[0]:b[1]]!r}")
        if label == "hostile" and not tone <= -0.2:
            problems.append("tone")
        if label == "cooperative" and not tone >= 0.2:
            problems.append("tone")
        if label == "neutral" and not -0.2 < tone < 0.2:
            problems.append("tone")
        if cat not in CATEGORIES or label not in LABELS:
            problems.append("cat/label")
        if problems and strict:
            raise ValueError(f"{text}\n  {problems}")
        return not problems

    def jitter(self, base, label):
        t = base + self.rng.uniform(-0.08, 0.08)
        t = round(t * 20) / 20  # 0.05 steps
        if label == "hostile":
            t = min(max(t, -1.0), -0.2)
        elif label == "cooperative":
            t = max(min(t, 1.0), 0.2)
        else:
            t = min(max(t, -0.15), 0.15)
        return round(t, 2)

    # ----------------------------------------------------------- passes
    def hand(self):
        for text, s, t, tm, sm, label, tone, cat, note in HAND:
            ok = self.add(text, s, t, tm, sm, label, tone, cat, note)
            if not ok:
                self.valid(text, s, t, sorted(set(tm)), sorted(set(sm)), label, tone, cat, strict=True)

    def single(self):
        for tpl in SINGLE:
            made, tries = 0, 0
            while made < tpl.n and tries < tpl.n * 30:
                tries += 1
                s, t = POOLS[tpl.pool](self.rng)
                if "{Tn}" in tpl.text and tpl.cat == "mobilisation" and "border" in tpl.text and t in ISLANDS:
                    continue
                if tpl.label != "hostile" and frozenset((s, t)) in NO_RELATIONS:
                    continue
                S, Tc = BY_ISO[s], BY_ISO[t]
                slots = {**self.country_slots("S", S, "S"), **self.country_slots("T", Tc, "T")}
                text, used = self.safe_render(tpl.text, slots)
                if used is None:
                    continue
                text = self.lengthen(text, tpl.label if tpl.cat != "hedged" else None)
                sm = [m for k, ms in used.items() if k.startswith(("S", "A")) for m in ms]
                tm = [m for k, ms in used.items() if k.startswith("T") for m in ms]
                if self.add(text, s, t, tm, sm, tpl.label, self.jitter(tpl.tone, tpl.label), tpl.cat, tpl.note):
                    made += 1

    def triples(self):
        """(source, friend, foe) with source-friend partners and source-foe rivals."""
        out = []
        for s, f in PARTNERS:
            for s2, e in RIVALS:
                if s2 == s and e != f:
                    out.append((s, f, e))
        return out

    def mixed(self, per=9):
        trip = self.triples()
        for text_t, ft, et in MIXED:
            made, tries = 0, 0
            while made < per and tries < per * 40:
                tries += 1
                s, f, e = self.rng.choice(trip)
                slots = {**self.country_slots("S", BY_ISO[s], "S"),
                         **self.country_slots("F", BY_ISO[f], "T"),
                         **self.country_slots("E", BY_ISO[e], "T")}
                text, used = self.safe_render(text_t, slots)
                if used is None:
                    continue
                sm = [m for k, ms in used.items() if k.startswith("S") for m in ms]
                fm = [m for k, ms in used.items() if k.startswith("F") for m in ms]
                em = [m for k, ms in used.items() if k.startswith("E") for m in ms]
                okf = self.valid(text, s, f, fm, sm, "cooperative", 0.5, "mixed")
                oke = self.valid(text, s, e, em, sm, "hostile", -0.5, "mixed")
                # the friend's mentions must not overlap the foe's either
                if not (okf and oke) or (text, f) in self.seen or (text, e) in self.seen:
                    continue
                if any(a in b or b in a for a in fm for b in em):
                    continue
                self.add(text, s, f, fm, sm, "cooperative", self.jitter(ft, "cooperative"), "mixed",
                         f"mixed sentence: cooperative toward {f}, hostile toward {e}")
                self.add(text, s, e, em, sm, "hostile", self.jitter(et, "hostile"), "mixed",
                         f"mixed sentence: cooperative toward {f}, hostile toward {e}")
                made += 1
        for text_t, nt, et, nlabel, cat in MIXED_NEUTRAL:
            made, tries = 0, 0
            while made < per and tries < per * 40:
                tries += 1
                s, e = self.rng.choice(RIVALS)
                n = self.rng.choice(ALL_ISO)
                if n in (s, e) or (s, n) in RIVAL_SET or frozenset((s, n)) in NO_RELATIONS:
                    continue
                slots = {**self.country_slots("S", BY_ISO[s], "S"),
                         **self.country_slots("N", BY_ISO[n], "T"),
                         **self.country_slots("E", BY_ISO[e], "T")}
                text, used = self.safe_render(text_t, slots)
                if used is None:
                    continue
                sm = [m for k, ms in used.items() if k.startswith("S") for m in ms]
                nm = [m for k, ms in used.items() if k.startswith("N") for m in ms]
                em = [m for k, ms in used.items() if k.startswith("E") for m in ms]
                if not (self.valid(text, s, n, nm, sm, "neutral", 0.0, cat)
                        and self.valid(text, s, e, em, sm, "hostile", -0.5, cat)):
                    continue
                if any(a in b or b in a for a in nm for b in em):
                    continue
                self.add(text, s, n, nm, sm, nlabel, self.jitter(nt, nlabel), cat,
                         f"mixed sentence: routine contact with {n}, hostile toward {e}")
                self.add(text, s, e, em, sm, "hostile", self.jitter(et, "hostile"), cat,
                         f"mixed sentence: routine contact with {n}, hostile toward {e}")
                made += 1

    def two_way(self, per=7):
        for text_t, pool, ab, ba in TWO_WAY:
            made, tries = 0, 0
            while made < per and tries < per * 40:
                tries += 1
                if pool == "aid_rev":
                    d, r = self.rng.choice(AID_PAIRS)
                    a, b = r, d
                else:
                    a, b = POOLS[pool](self.rng)
                slots = {**self.country_slots("A", BY_ISO[a], "S"), **self.country_slots("B", BY_ISO[b], "T")}
                text, used = self.safe_render(text_t, slots)
                if used is None:
                    continue
                am = [m for k, ms in used.items() if k.startswith("A") for m in ms]
                bm = [m for k, ms in used.items() if k.startswith("B") for m in ms]
                if not (self.valid(text, a, b, bm, am, ab[1], ab[2], ab[0])
                        and self.valid(text, b, a, am, bm, ba[1], ba[2], ba[0])):
                    continue
                if (text, a) in self.seen or (text, b) in self.seen:
                    continue
                self.add(text, a, b, bm, am, ab[1], self.jitter(ab[2], ab[1]), ab[0],
                         "two-way: same text read in both directions")
                self.add(text, b, a, am, bm, ba[1], self.jitter(ba[2], ba[1]), ba[0],
                         "two-way: same text read in both directions")
                made += 1

    def two_target(self, per=8):
        for text_t, cat, label, tone, note in TWO_TARGET:
            made, tries = 0, 0
            while made < per and tries < per * 40:
                tries += 1
                if label == "hostile":
                    # the accuser is a rival of both targets
                    s = self.rng.choice(ALL_ISO)
                    foes = sorted({b for a, b in RIVALS if a == s})
                    if len(foes) < 2:
                        continue
                    a, b = self.rng.sample(foes, 2)
                elif cat == "agreement":
                    s = self.rng.choice(ALL_ISO)
                    friends = sorted({b for a, b in PARTNERS if a == s})
                    if len(friends) < 2:
                        continue
                    a, b = self.rng.sample(friends, 2)
                else:
                    # a third party, on bad terms with neither side, speaks about two rivals
                    a, b = self.rng.choice(MOBIL if "border" in text_t else RIVALS)
                    cands = [x for x in ALL_ISO if x not in (a, b)
                             and (x, a) not in RIVAL_SET and (x, b) not in RIVAL_SET]
                    s = self.rng.choice(cands)
                slots = {**self.country_slots("S", BY_ISO[s], "S"),
                         **self.country_slots("A", BY_ISO[a], "T"), **self.country_slots("B", BY_ISO[b], "T")}
                # note: 'A' prefixed keys from the target builder are target A here
                text, used = self.safe_render(text_t, slots)
                if used is None:
                    continue
                sm = [m for k, ms in used.items() if k.startswith("S") for m in ms]
                am = [m for k, ms in used.items() if k.startswith("A") for m in ms]
                bm = [m for k, ms in used.items() if k.startswith("B") for m in ms]
                if not (self.valid(text, s, a, am, sm, label, tone, cat) and self.valid(text, s, b, bm, sm, label, tone, cat)):
                    continue
                if any(x in y or y in x for x in am for y in bm):
                    continue
                if (text, a) in self.seen or (text, b) in self.seen:
                    continue
                t1 = self.jitter(tone, label)
                self.add(text, s, a, am, sm, label, t1, cat, note or "same sentence, two targets")
                self.add(text, s, b, bm, sm, label, t1, cat, note or "same sentence, two targets")
                made += 1

    def place(self, per=8):
        for text_t, xspec, pspec in PLACE:
            made, tries = 0, 0
            while made < per and tries < per * 40:
                tries += 1
                if xspec[1] == "hostile":
                    s, x = self.rng.choice(RIVALS)
                elif xspec[0] == "agreement":
                    s, x = self.rng.choice(STRIKES + MOBIL)
                else:
                    s, x = neutral_pair(self.rng)
                p = self.rng.choice(PLACE_HOSTS)
                if p in (s, x):
                    continue
                slots = {**self.country_slots("S", BY_ISO[s], "S"),
                         **self.country_slots("X", BY_ISO[x], "T"), **self.country_slots("P", BY_ISO[p], "T")}
                text, used = self.safe_render(text_t, slots)
                if used is None:
                    continue
                sm = [m for k, ms in used.items() if k.startswith("S") for m in ms]
                xm = [m for k, ms in used.items() if k.startswith("X") for m in ms]
                pm = [m for k, ms in used.items() if k.startswith("P") for m in ms]
                if not (self.valid(text, s, x, xm, sm, xspec[1], xspec[2], xspec[0])
                        and self.valid(text, s, p, pm, sm, pspec[1], pspec[2], pspec[0])):
                    continue
                if (text, x) in self.seen or (text, p) in self.seen:
                    continue
                self.add(text, s, x, xm, sm, xspec[1], self.jitter(xspec[2], xspec[1]), xspec[0], "")
                self.add(text, s, p, pm, sm, pspec[1], self.jitter(pspec[2], pspec[1]), pspec[0],
                         "target is only the venue; the statement is aimed at another country")
                made += 1


def _mixed2(self, per=10):
    for text_t, xs, ys in MIXED2:
        made, tries = 0, 0
        while made < per and tries < per * 40:
            tries += 1
            s = self.rng.choice(ALL_ISO)

            def rel(pool):
                if pool == "partner":
                    c = sorted({b for a, b in PARTNERS if a == s})
                elif pool == "rival":
                    c = sorted({b for a, b in RIVALS if a == s})
                else:
                    c = [x for x in ALL_ISO if x != s and (s, x) not in RIVAL_SET]
                return self.rng.choice(c) if c else None
            x, y = rel(xs[0]), rel(ys[0])
            if not x or not y or x == y:
                continue
            slots = {**self.country_slots("S", BY_ISO[s], "S"),
                     **self.country_slots("X", BY_ISO[x], "T"), **self.country_slots("Y", BY_ISO[y], "T")}
            text, used = self.safe_render(text_t, slots)
            if used is None:
                continue
            sm = [m for k, ms in used.items() if k.startswith("S") for m in ms]
            xm = [m for k, ms in used.items() if k.startswith("X") for m in ms]
            ym = [m for k, ms in used.items() if k.startswith("Y") for m in ms]
            if not (self.valid(text, s, x, xm, sm, xs[1], xs[2], "mixed")
                    and self.valid(text, s, y, ym, sm, ys[1], ys[2], "mixed")):
                continue
            if any(a in b or b in a for a in xm for b in ym):
                continue
            if (text, x) in self.seen or (text, y) in self.seen:
                continue
            note = f"mixed sentence: {xs[1]} toward {x}, {ys[1]} toward {y}"
            self.add(text, s, x, xm, sm, xs[1], self.jitter(xs[2], xs[1]), "mixed", note)
            self.add(text, s, y, ym, sm, ys[1], self.jitter(ys[2], ys[1]), "mixed", note)
            made += 1


Builder.mixed2 = _mixed2


def build():
    b = Builder()
    b.hand()
    b.single()
    b.mixed()
    b.mixed2()
    b.two_way()
    b.two_target()
    b.place()
    return b.rows


def check(rows):
    seen = set()
    for r in rows:
        k = (r["text"], r["target"])
        assert k not in seen, k
        seen.add(k)
        for m in r["target_mentions"] + r["source_mentions"]:
            assert m in r["text"], (m, r["text"])
        assert r["source"] in VALID_ISO3 and r["target"] in VALID_ISO3
        lab, t = r["label"], r["tone"]
        assert -1 <= t <= 1
        assert (lab == "hostile" and t <= -0.2) or (lab == "cooperative" and t >= 0.2) or (lab == "neutral" and -0.2 < t < 0.2), r
        assert r["category"] in CATEGORIES


def main(argv=None):
    rows = build()
    check(rows)
    with OUT.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    lab = Counter(r["label"] for r in rows)
    cat = Counter(r["category"] for r in rows)
    print(f"wrote {len(rows)} rows to {OUT}", file=sys.stderr)
    for k in LABELS:
        print(f"  {k:12s} {lab[k]:5d} ({lab[k] / len(rows):.0%})", file=sys.stderr)
    for k, v in cat.most_common():
        print(f"  {k:15s} {v:5d}", file=sys.stderr)


if __name__ == "__main__":
    main()
