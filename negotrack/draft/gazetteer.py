"""What the news calls a state or an organisation besides its name: demonyms, capitals, seats of power.

A plain table, general knowledge about many states (not about one negotiation):
a declared party is matched to an entry by its id or its name, and the entry's
words then attribute statements to that party ("Moscow", "the Kremlin",
"Russian officials").  Names the analyst declares always come first.
"""

from __future__ import annotations

import re

# name (as usually declared): (ids it may be declared under, other names, demonyms, capitals and seats of power)
_STATES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Afghanistan": (("AF", "AFG"), (), ("Afghan",), ("Kabul",)),
    "Armenia": (("AM", "ARM"), (), ("Armenian",), ("Yerevan",)),
    "Australia": (("AU", "AUS"), (), ("Australian",), ("Canberra",)),
    "Austria": (("AT", "AUT"), (), ("Austrian",), ("Vienna",)),
    "Azerbaijan": (("AZ", "AZE"), (), ("Azerbaijani", "Azeri"), ("Baku",)),
    "Belarus": (("BY", "BLR"), (), ("Belarusian",), ("Minsk",)),
    "Belgium": (("BE", "BEL"), (), ("Belgian",), ()),
    "Brazil": (("BR", "BRA"), (), ("Brazilian",), ("Brasilia", "Brasília")),
    "Canada": (("CA", "CAN"), (), ("Canadian",), ("Ottawa",)),
    "China": (("CN", "CHN", "PRC"), ("People's Republic of China",), ("Chinese",), ("Beijing", "Zhongnanhai")),
    "Colombia": (("CO", "COL"), (), ("Colombian",), ("Bogota", "Bogotá")),
    "Cuba": (("CU", "CUB"), (), ("Cuban",), ("Havana",)),
    "Cyprus": (("CY", "CYP"), (), ("Cypriot",), ("Nicosia",)),
    "Denmark": (("DK", "DNK"), (), ("Danish",), ("Copenhagen",)),
    "Egypt": (("EG", "EGY"), (), ("Egyptian",), ("Cairo",)),
    "Ethiopia": (("ET", "ETH"), (), ("Ethiopian",), ("Addis Ababa",)),
    "Finland": (("FI", "FIN"), (), ("Finnish",), ("Helsinki",)),
    "France": (("FR", "FRA"), (), ("French",), ("Paris", "the Elysee", "the Élysée")),
    "Georgia": (("GE", "GEO"), (), ("Georgian",), ("Tbilisi",)),
    "Germany": (("DE", "DEU", "GER"), (), ("German",), ("Berlin",)),
    "Greece": (("GR", "GRC"), (), ("Greek",), ("Athens",)),
    "Hungary": (("HU", "HUN"), (), ("Hungarian",), ("Budapest",)),
    "India": (("IN", "IND"), (), ("Indian",), ("New Delhi",)),
    "Indonesia": (("ID", "IDN"), (), ("Indonesian",), ("Jakarta",)),
    "Iran": (("IR", "IRN"), ("Islamic Republic", "Islamic Republic of Iran"), ("Iranian",), ("Tehran",)),
    "Iraq": (("IQ", "IRQ"), (), ("Iraqi",), ("Baghdad",)),
    "Ireland": (("IE", "IRL"), (), ("Irish",), ("Dublin",)),
    "Israel": (("IL", "ISR"), (), ("Israeli",), ("Jerusalem", "Tel Aviv")),
    "Italy": (("IT", "ITA"), (), ("Italian",), ("Rome",)),
    "Japan": (("JP", "JPN"), (), ("Japanese",), ("Tokyo",)),
    "Jordan": (("JO", "JOR"), (), ("Jordanian",), ("Amman",)),
    "Kazakhstan": (("KZ", "KAZ"), (), ("Kazakh",), ("Astana",)),
    "Kosovo": (("XK", "KOS"), (), ("Kosovar",), ("Pristina",)),
    "Lebanon": (("LB", "LBN"), (), ("Lebanese",), ("Beirut",)),
    "Libya": (("LY", "LBY"), (), ("Libyan",), ("Tripoli",)),
    "Mexico": (("MX", "MEX"), (), ("Mexican",), ("Mexico City",)),
    "Moldova": (("MD", "MDA"), (), ("Moldovan",), ("Chisinau",)),
    "Netherlands": (("NL", "NLD"), ("Holland",), ("Dutch",), ("The Hague", "Amsterdam")),
    "North Korea": (("KP", "PRK", "DPRK"), (), ("North Korean",), ("Pyongyang",)),
    "Norway": (("NO", "NOR"), (), ("Norwegian",), ("Oslo",)),
    "Oman": (("OM", "OMN"), ("Sultanate of Oman",), ("Omani",), ("Muscat",)),
    "Pakistan": (("PK", "PAK"), (), ("Pakistani",), ("Islamabad",)),
    "Palestine": (("PS", "PSE"), ("Palestinian Authority",), ("Palestinian",), ("Ramallah",)),
    "Philippines": (("PH", "PHL"), (), ("Filipino", "Philippine"), ("Manila",)),
    "Poland": (("PL", "POL"), (), ("Polish",), ("Warsaw",)),
    "Qatar": (("QA", "QAT"), (), ("Qatari",), ("Doha",)),
    "Romania": (("RO", "ROU"), (), ("Romanian",), ("Bucharest",)),
    "Russia": (("RU", "RUS"), ("Russian Federation",), ("Russian",), ("Moscow", "the Kremlin", "Kremlin")),
    "Saudi Arabia": (("SA", "SAU", "KSA"), (), ("Saudi",), ("Riyadh",)),
    "Serbia": (("RS", "SRB"), (), ("Serbian", "Serb"), ("Belgrade",)),
    "South Africa": (("ZA", "ZAF"), (), ("South African",), ("Pretoria",)),
    "South Korea": (("KR", "KOR", "ROK"), (), ("South Korean",), ("Seoul",)),
    "Spain": (("ES", "ESP"), (), ("Spanish",), ("Madrid",)),
    "Sudan": (("SD", "SDN"), (), ("Sudanese",), ("Khartoum",)),
    "Sweden": (("SE", "SWE"), (), ("Swedish",), ("Stockholm",)),
    "Switzerland": (("CH", "CHE"), (), ("Swiss",), ("Bern", "Berne")),
    "Syria": (("SY", "SYR"), (), ("Syrian",), ("Damascus",)),
    "Taiwan": (("TW", "TWN"), ("Republic of China",), ("Taiwanese",), ("Taipei",)),
    "Turkey": (("TR", "TUR"), ("Türkiye", "Turkiye"), ("Turkish",), ("Ankara",)),
    "Ukraine": (("UA", "UKR"), (), ("Ukrainian",), ("Kyiv", "Kiev")),
    "United Arab Emirates": (("AE", "ARE", "UAE"), ("the Emirates",), ("Emirati",), ("Abu Dhabi",)),
    "United Kingdom": (("UK", "GB", "GBR"), ("Britain", "Great Britain", "U.K."), ("British",), ("London", "Downing Street")),
    "United States": (
        ("US", "USA"),
        ("U.S.", "U.S", "America", "United States of America", "the Trump administration", "the Biden administration"),
        ("American",),
        ("Washington", "the White House", "White House"),
    ),
    "Venezuela": (("VE", "VEN"), (), ("Venezuelan",), ("Caracas",)),
    "Yemen": (("YE", "YEM"), (), ("Yemeni",), ("Sanaa",)),
    # more states whose talks make the news (Africa, the Balkans, Central Asia, Asia, the Americas)
    "Albania": (("AL", "ALB"), (), ("Albanian",), ("Tirana",)),
    "Algeria": (("DZ", "DZA"), (), ("Algerian",), ("Algiers",)),
    "Argentina": (("AR", "ARG"), (), ("Argentine", "Argentinian"), ("Buenos Aires", "the Casa Rosada")),
    "Bahrain": (("BH", "BHR"), (), ("Bahraini",), ("Manama",)),
    "Bangladesh": (("BD", "BGD"), (), ("Bangladeshi",), ("Dhaka",)),
    "Bosnia and Herzegovina": (("BA", "BIH"), ("Bosnia", "Bosnia-Herzegovina"), ("Bosnian",), ("Sarajevo",)),
    "Bulgaria": (("BG", "BGR"), (), ("Bulgarian",), ("Sofia",)),
    "Burundi": (("BI", "BDI"), (), ("Burundian",), ("Gitega", "Bujumbura")),
    "Cambodia": (("KH", "KHM"), (), ("Cambodian",), ("Phnom Penh",)),
    "Chad": (("TD", "TCD"), (), ("Chadian",), ("N'Djamena",)),
    "Chile": (("CL", "CHL"), (), ("Chilean",), ("Santiago",)),
    "Croatia": (("HR", "HRV"), (), ("Croatian",), ("Zagreb",)),
    "Czech Republic": (("CZ", "CZE"), ("Czechia",), ("Czech",), ("Prague",)),
    "Democratic Republic of the Congo": (
        ("CD", "COD", "DRC"),
        ("Democratic Republic of Congo", "DR Congo", "DRC", "Congo-Kinshasa", "Congo"),
        ("Congolese",),
        ("Kinshasa",),
    ),
    "Ecuador": (("EC", "ECU"), (), ("Ecuadorian",), ("Quito",)),
    "Eritrea": (("ER", "ERI"), (), ("Eritrean",), ("Asmara",)),
    "Estonia": (("EE", "EST"), (), ("Estonian",), ("Tallinn",)),
    "Guyana": (("GY", "GUY"), (), ("Guyanese",), ("Georgetown",)),
    "Haiti": (("HT", "HTI"), (), ("Haitian",), ("Port-au-Prince",)),
    "Kenya": (("KE", "KEN"), (), ("Kenyan",), ("Nairobi",)),
    "Kuwait": (("KW", "KWT"), (), ("Kuwaiti",), ()),
    "Kyrgyzstan": (("KG", "KGZ"), (), ("Kyrgyz",), ("Bishkek",)),
    "Latvia": (("LV", "LVA"), (), ("Latvian",), ("Riga",)),
    "Lithuania": (("LT", "LTU"), (), ("Lithuanian",), ("Vilnius",)),
    "Mali": (("ML", "MLI"), (), ("Malian",), ("Bamako",)),
    "Montenegro": (("ME", "MNE"), (), ("Montenegrin",), ("Podgorica",)),
    "Morocco": (("MA", "MAR"), (), ("Moroccan",), ("Rabat",)),
    "Myanmar": (("MM", "MMR"), ("Burma",), ("Burmese",), ("Naypyidaw", "Naypyitaw")),
    "Nicaragua": (("NI", "NIC"), (), ("Nicaraguan",), ("Managua",)),
    "Niger": (("NE", "NER"), (), ("Nigerien",), ("Niamey",)),
    "Nigeria": (("NG", "NGA"), (), ("Nigerian",), ("Abuja",)),
    "North Macedonia": (("MK", "MKD"), ("Macedonia",), ("Macedonian",), ("Skopje",)),
    "Rwanda": (("RW", "RWA"), (), ("Rwandan",), ("Kigali",)),
    "Slovakia": (("SK", "SVK"), (), ("Slovak",), ("Bratislava",)),
    "Somalia": (("SO", "SOM"), (), ("Somali",), ("Mogadishu",)),
    "South Sudan": (("SS", "SSD"), (), ("South Sudanese",), ("Juba",)),
    "Sri Lanka": (("LK", "LKA"), (), ("Sri Lankan",), ("Colombo",)),
    "Tajikistan": (("TJ", "TJK"), (), ("Tajik",), ("Dushanbe",)),
    "Thailand": (("TH", "THA"), (), ("Thai",), ("Bangkok",)),
    "Tunisia": (("TN", "TUN"), (), ("Tunisian",), ("Tunis",)),
    "Uganda": (("UG", "UGA"), (), ("Ugandan",), ("Kampala",)),
    "Uzbekistan": (("UZ", "UZB"), (), ("Uzbek",), ("Tashkent",)),
    "Vietnam": (("VN", "VNM"), ("Viet Nam",), ("Vietnamese",), ("Hanoi",)),
}

# organisations: (ids, other names, adjectives, seats and what the news calls them)
_ORGANISATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "NATO": (("NATO", "OTAN"), ("North Atlantic Treaty Organization", "North Atlantic Treaty Organisation", "the alliance", "the Alliance", "the military alliance"), (), ()),
    "European Union": (("EU",), ("the EU", "the bloc", "European Commission"), ("European",), ("Brussels",)),
    "United Nations": (("UN", "UNO"), ("U.N.", "the UN", "the United Nations", "Security Council"), (), ()),
    "African Union": (("AU_ORG", "AFU"), ("the AU",), (), ("Addis Ababa",)),
    "Hamas": (("HAMAS",), (), (), ()),
    "Hezbollah": (("HEZBOLLAH",), (), (), ()),
    "IAEA": (("IAEA",), ("International Atomic Energy Agency", "the nuclear watchdog", "UN nuclear watchdog"), (), ()),
    "OSCE": (("OSCE",), ("Organization for Security and Co-operation in Europe",), (), ()),
}


def aliases(party_id: str, name: str) -> dict[str, tuple[str, ...]]:
    """The words that name a declared party: {"name": …, "demonym": …, "seat": …}.

    The declared id and name come first; the table adds what it knows of the
    entry whose name or ids match.
    """
    entry = None
    for table in (_STATES, _ORGANISATIONS):
        for key, value in table.items():
            if key.lower() == name.lower() or party_id.upper() in value[0] or name.lower() in (n.lower() for n in value[1]):
                entry = (key, *value)
                break
        if entry:
            break
    names = [name, party_id]
    demonyms: list[str] = []
    seats: list[str] = []
    if entry is not None:
        key, _ids, other, adjectives, capitals = entry
        names += [key, *other]
        demonyms += list(adjectives)
        seats += list(capitals)
    names = [n for i, n in enumerate(names) if n and n not in names[:i]]
    return {"name": tuple(names), "demonym": tuple(demonyms), "seat": tuple(seats)}


# What the news calls an armed or governing body by its kind alone ("the army said"): a name holding the key
# gives these words, when no other party's name gives them too (see :func:`generic_names`).
_KINDS: dict[str, tuple[str, ...]] = {
    "armed forces": ("the army", "the military", "the armed forces"),
    "army": ("the army", "the military"),
    "military": ("the military", "the army"),
    "government": ("the government",),
    "paramilitary": ("the paramilitary", "the paramilitaries"),
}
_PARTS = re.compile(r"\s+and\s+|\s*[,;(]\s*|\)")


def declared_parts(name: str) -> tuple[str, ...]:
    """The names within a declared name of several words ("Sudanese Armed Forces and the army-led government")."""
    parts = [p.strip() for p in _PARTS.split(name)]
    out = [re.sub(r"^(?:the)\s+", "", p, flags=re.I) for p in parts if len(p.split()) >= 2 and p != name]
    return tuple(dict.fromkeys(out))


def generic_names(name: str) -> tuple[str, ...]:
    """The words of :data:`_KINDS` that a declared name gives ("… Armed Forces …" → "the army", "the military")."""
    low = name.lower()
    out: list[str] = []
    for key, words in _KINDS.items():
        if re.search(rf"\b{re.escape(key)}\b|\b{re.escape(key)}-", low):
            out += words
    return tuple(dict.fromkeys(out))
