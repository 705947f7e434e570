"""Domeneinnhold for mat til hjemmeboende eldre (Smart Mat).

Rene data for malen «Smart Mat»: behovskatalog, kravbibliotek, spørreskjema,
gevinstindikatorer, porter, tildelingskriterier og tekster. Veiledere og regelverk omtales
kun ved navn.
"""

from __future__ import annotations

# Håndformatert katalogdata: behold kompakt oppsett.
# fmt: off
DOMAIN = {
    "key": "smart_mat",
    "name": "Mat til hjemmeboende (Smart Mat)",
    "name_en": "Food services (Smart Mat)",
    "description": (
        "Måltider og mattjenester til hjemmeboende eldre: meny og ernæring etter Kosthåndboken, "
        "merking av de 14 regulerte allergenene, bestilling på telefon, nett eller via ansatte, "
        "levering og kjølekjede, spesialkost, valgfrihet, det sosiale måltidet, brukertilfredshet "
        "og matsvinn."
    ),
}

# De 14 allergenene som skal merkes etter matinformasjonsforskriften.
ALLERGENS = [
    "Glutenholdige kornarter", "Skalldyr", "Egg", "Fisk", "Peanøtter", "Soya",
    "Melk (inkludert laktose)",
    "Nøtter", "Selleri", "Sennep", "Sesamfrø", "Svoveldioksid og sulfitter", "Lupin", "Bløtdyr",
]

NEEDS_CATALOGUE = [
    {"key": "sm-need-01", "theme": "Ernæring og matlyst", "source": "interview", "priority": 1,
     "user_group": "Hjemmeboende eldre med redusert matlyst",
     "statement": "Maten må være næringstett og komme i porsjoner jeg klarer å spise, fordi jeg "
                  "ofte spiser lite og går ned i vekt."},
    {"key": "sm-need-02", "theme": "Ernæring og matlyst", "source": "workshop", "priority": 1,
     "user_group": "Sykepleiere og ernæringsansvarlige i hjemmetjenesten",
     "statement": "Vi må fange opp vekttap og svekket matlyst tidlig, slik at tiltak settes inn "
                  "før ernæringsstatusen blir dårlig."},
    {"key": "sm-need-03", "theme": "Valgfrihet og variasjon", "source": "interview", "priority": 1,
     "user_group": "Mottakere av middagsombringing",
     "statement": "Jeg vil selv velge hva jeg skal spise og når, ikke få tildelt en fast rett "
                  "hver dag."},
    {"key": "sm-need-04", "theme": "Valgfrihet og variasjon", "source": "survey", "priority": 2,
     "user_group": "Mottakere av middagsombringing",
     "statement": "Menyen må variere gjennom året, ha kjente og tradisjonelle retter og markere "
                  "sesonger og høytider."},
    {"key": "sm-need-05", "theme": "Spesialkost", "source": "observation", "priority": 1,
     "user_group": "Brukere med tygge- og svelgevansker",
     "statement": "Konsistenstilpasset mat må se innbydende ut og smake godt, ellers blir den "
                  "stående urørt."},
    {"key": "sm-need-06", "theme": "Spesialkost", "source": "workshop", "priority": 2,
     "user_group": "Brukere med særskilte kostbehov",
     "statement": "Det må være mulig å få kost tilpasset diabetes, cøliaki og "
                  "laktoseintoleranse, og kost som tar hensyn til kultur og religion."},
    {"key": "sm-need-07", "theme": "Allergener", "source": "interview", "priority": 1,
     "user_group": "Brukere med matallergi eller intoleranse",
     "statement": "Jeg må enkelt kunne se hvilke allergener hver rett inneholder, både når jeg "
                  "bestiller og på pakningen."},
    {"key": "sm-need-08", "theme": "Allergener", "source": "workshop", "priority": 1,
     "user_group": "Hjemmetjenesten og pårørende",
     "statement": "Det må være trygt å bestille mat uten bestemte allergener, uten fare for "
                  "forveksling eller krysskontaminering."},
    {"key": "sm-need-09", "theme": "Levering og kjølekjede", "source": "observation", "priority": 1,
     "user_group": "Hjemmeboende med nedsatt funksjon",
     "statement": "Maten må komme til avtalt tid og settes rett i kjøleskapet, fordi mange ikke "
                  "klarer å ta imot og sette bort varene selv."},
    {"key": "sm-need-10", "theme": "Levering og kjølekjede", "source": "observation", "priority": 2,
     "user_group": "Ansatte i hjemmetjenesten",
     "statement": "Kjølekjeden må være ubrutt helt til kjøleskapet, og noen må følge med på at "
                  "brukeren ikke spiser mat som er for gammel."},
    {"key": "sm-need-11", "theme": "Bestilling", "source": "interview", "priority": 1,
     "user_group": "Eldre som ikke bruker digitale tjenester",
     "statement": "Jeg vil bestille på telefon og snakke med et menneske som kjenner menyen, "
                  "fordi jeg ikke bruker nettbrett eller PC."},
    {"key": "sm-need-12", "theme": "Bestilling", "source": "workshop", "priority": 2,
     "user_group": "Pårørende og ansatte i hjemmetjenesten",
     "statement": "Pårørende og ansatte må kunne bestille og endre på vegne av brukeren på nett, "
                  "med oversikt over hva som er bestilt og levert."},
    {"key": "sm-need-13", "theme": "Det sosiale måltidet", "source": "survey", "priority": 2,
     "user_group": "Hjemmeboende eldre som bor alene",
     "statement": "Jeg spiser alene nesten hver dag; et måltid sammen med andre gir bedre "
                  "matlyst og mindre ensomhet."},
    {"key": "sm-need-14", "theme": "Det sosiale måltidet", "source": "workshop", "priority": 3,
     "user_group": "Seniorsentre og frivillige organisasjoner",
     "statement": "Tjenesten bør kunne kobles til møteplasser der brukerne kan spise sammen noen "
                  "ganger i uka."},
]

_KOST = "Kosthåndboken (Helsedirektoratet)"
_MATINFO = "matinformasjonsforskriften"
_UU = "WCAG 2.1 / forskrift om universell utforming av IKT"

REQUIREMENTS = [
    {"ref": "SM-NUT-01", "category": "nutrition", "kind": "must", "standards": [_KOST],
     "title": "Meny og næringsinnhold etter Kosthåndboken",
     "text": "Menyer, oppskrifter og porsjonsstørrelser skal planlegges i tråd med "
             "Kosthåndboken, og leverandøren skal dokumentere energi- og næringsinnhold per "
             "rett."},
    {"ref": "SM-NUT-02", "category": "nutrition", "kind": "must", "standards": [_KOST],
     "title": "Energi- og proteinrik kost",
     "text": "Det skal tilbys energi- og proteinrike retter, småretter og mellommåltider for "
             "brukere med liten matlyst eller risiko for underernæring."},
    {"ref": "SM-NUT-03", "category": "nutrition", "kind": "must", "standards": [_KOST],
     "title": "Konsistenstilpasset kost",
     "text": "Leverandøren skal levere konsistenstilpasset mat i flere nivåer, tydelig merket, "
             "som ser appetittlig ut og smaker av den opprinnelige retten."},
    {"ref": "SM-NUT-04", "category": "nutrition", "kind": "must", "standards": [_KOST],
     "title": "Spesialkost og kulturelle hensyn",
     "text": "Det skal tilbys kost tilpasset diabetes, glutenfri og laktoseredusert kost, "
             "vegetarkost og kost som ivaretar religiøse og kulturelle hensyn."},
    {"ref": "SM-NUT-05", "category": "nutrition", "kind": "must", "standards": [_MATINFO],
     "title": "Næringsdeklarasjon",
     "text": "Hver rett skal ha informasjon om energi, protein, fett, karbohydrat og salt per "
             "porsjon, tilgjengelig for brukere og ansatte."},
    {"ref": "SM-NUT-06", "category": "nutrition", "kind": "should", "standards": [],
     "title": "Valgfrihet og variasjon",
     "text": "Brukeren bør kunne velge mellom minst tre middagsretter hver dag, og menyen bør gå "
             "i en rullering på minst seks uker med sesongretter og høytidsmat."},
    {"ref": "SM-ALG-01", "category": "allergens", "kind": "must", "standards": [_MATINFO],
     "title": "Merking av de 14 allergenene",
     "text": "Alle retter skal merkes med innhold av de 14 regulerte allergenene – glutenholdige "
             "kornarter, skalldyr, egg, fisk, peanøtter, soya, melk, nøtter, selleri, sennep, "
             "sesamfrø, svoveldioksid og sulfitter, lupin og bløtdyr – i menyoversikten, i "
             "bestillingsløsningen og på pakningen."},
    {"ref": "SM-ALG-02", "category": "allergens", "kind": "must", "standards": [],
     "title": "Rutiner mot krysskontaminering",
     "text": "Leverandøren skal ha dokumenterte rutiner som hindrer krysskontaminering og "
             "forveksling. Allergitilpassede måltider skal merkes med mottakerens navn."},
    {"ref": "SM-ALG-03", "category": "allergens", "kind": "must", "standards": [],
     "title": "Allergier registrert per bruker",
     "text": "Bestillingsløsningen skal registrere allergier og intoleranser per bruker og "
             "stanse eller varsle ved bestilling av retter som ikke passer."},
    {"ref": "SM-ALG-04", "category": "allergens", "kind": "must", "standards": [],
     "title": "Varsling ved endret allergeninnhold",
     "text": "Endres oppskrift eller råvare slik at allergeninnholdet endres, skal kommunen og "
             "berørte brukere varsles før levering."},
    {"ref": "SM-ORD-01", "category": "ordering", "kind": "must", "standards": [],
     "title": "Flere bestillingskanaler",
     "text": "Brukere skal kunne bestille på telefon med personlig betjening, i en nettløsning "
             "og via ansatte i hjemmetjenesten, med samme utvalg i alle kanaler."},
    {"ref": "SM-ORD-02", "category": "ordering", "kind": "must", "standards": [],
     "title": "Telefonbestilling med personlig betjening",
     "text": "Telefontjenesten skal minst være åpen på hverdager på dagtid, ha kort ventetid og "
             "bemannes av personer som kjenner menyen og allergeninformasjonen."},
    {"ref": "SM-ORD-03", "category": "ordering", "kind": "must", "standards": [_UU],
     "title": "Universelt utformet nettbestilling",
     "text": "Nettløsningen skal oppfylle WCAG 2.1 i tråd med forskrift om universell utforming "
             "av IKT, og være tilpasset eldre med bilder av rettene og enkel navigasjon."},
    {"ref": "SM-ORD-04", "category": "ordering", "kind": "must", "standards": [],
     "title": "Endring og stans av leveranser",
     "text": "Bestillinger skal kunne endres eller avbestilles dagen før levering, og kommunen "
             "skal kunne stanse leveranser straks, for eksempel ved sykehusinnleggelse."},
    {"ref": "SM-ORD-05", "category": "ordering", "kind": "should", "standards": [],
     "title": "Integrasjon med fagsystem",
     "text": "Vedtak og endringer bør kunne overføres fra kommunens fagsystem, slik at "
             "dobbeltregistrering unngås."},
    {"ref": "SM-ORD-06", "category": "ordering", "kind": "must", "standards": [],
     "title": "Personvern i bestillingsløsningen",
     "text": "Det skal inngås databehandleravtale med kommunen, og opplysninger om brukere, "
             "kostbehov og allergier skal lagres og behandles innenfor EU/EØS."},
    {"ref": "SM-DEL-01", "category": "delivery", "kind": "must", "standards": [],
     "title": "Leveringsfrekvens",
     "text": "Leverandøren skal levere minst to ganger per uke og kunne tilby hyppigere levering "
             "når vedtaket eller brukerens situasjon tilsier det."},
    {"ref": "SM-DEL-02", "category": "delivery", "kind": "must", "standards": ["HACCP-prinsippene"],
     "title": "Ubrutt kjølekjede",
     "text": "Kjølt mat skal holde høyst 4 °C fra produksjon til den er satt i brukerens "
             "kjøleskap. Temperaturen skal logges under transport og dokumenteres for kommunen."},
    {"ref": "SM-DEL-03", "category": "delivery", "kind": "must", "standards": [],
     "title": "Innsetting i kjøleskap og observasjon",
     "text": "Sjåføren skal sette maten i kjøleskapet etter avtale med brukeren og melde fra til "
             "hjemmetjenesten dersom tidligere levert mat står urørt."},
    {"ref": "SM-DEL-04", "category": "delivery", "kind": "must", "standards": [],
     "title": "Avtalt leveringsvindu",
     "text": "Levering skal skje innenfor et avtalt tidsvindu på høyst to timer. Ved forsinkelse "
             "skal brukeren varsles."},
    {"ref": "SM-DEL-05", "category": "delivery", "kind": "must", "standards": [],
     "title": "Rutine når brukeren ikke åpner",
     "text": "Det skal finnes en rutine for hva sjåføren gjør når brukeren ikke åpner, inkludert "
             "varsling av hjemmetjenesten samme dag."},
    {"ref": "SM-QUA-01", "category": "quality", "kind": "must", "standards": [],
     "title": "Brukerundersøkelse",
     "text": "Leverandøren skal minst én gang i året gjennomføre en brukerundersøkelse i "
             "samarbeid med kommunen og legge fram tiltak basert på resultatene."},
    {"ref": "SM-QUA-02", "category": "quality", "kind": "should", "standards": [_KOST],
     "title": "Støtte til oppfølging av ernæringsstatus",
     "text": "Leverandøren bør støtte kommunens oppfølging av vekt og ernæringsstatus, blant "
             "annet ved å melde fra om endringer i bestillinger som kan tyde på redusert "
             "matinntak."},
    {"ref": "SM-QUA-03", "category": "quality", "kind": "must", "standards": ["HACCP-prinsippene"],
     "title": "Internkontroll for mattrygghet",
     "text": "Leverandøren skal ha et internkontrollsystem for mattrygghet basert på "
             "HACCP-prinsippene og legge fram rapporter fra Mattilsynets tilsyn på forespørsel."},
    {"ref": "SM-QUA-04", "category": "quality", "kind": "should", "standards": [],
     "title": "Brukermedvirkning i menyutvikling",
     "text": "Menyen bør utvikles sammen med et brukerpanel, med smakstesting minst to ganger i "
             "året."},
    {"ref": "SM-QUA-05", "category": "quality", "kind": "should", "standards": [],
     "title": "Det sosiale måltidet",
     "text": "Leverandøren bør legge til rette for felles måltider, for eksempel levering til "
             "seniorsentre eller spisevennordninger i samarbeid med frivillige."},
    {"ref": "SM-SUS-01", "category": "sustainability", "kind": "must", "standards": [],
     "title": "Måling og reduksjon av matsvinn",
     "text": "Leverandøren skal måle matsvinn i produksjonen og i returnert mat, rapportere i "
             "kilo og andel hvert kvartal og ha en plan for å redusere svinnet."},
    {"ref": "SM-SUS-02", "category": "sustainability", "kind": "must", "standards": [],
     "title": "Emballasje",
     "text": "Emballasjen skal være lett å åpne for personer med nedsatt håndkraft og syn, og "
             "skal så langt mulig være resirkulerbar eller ombrukbar."},
    {"ref": "SM-SUS-03", "category": "sustainability", "kind": "should", "standards": [],
     "title": "Utslippsfri transport",
     "text": "Leveransene bør skje med nullutslippskjøretøy, og kjøreruter bør optimaliseres for "
             "å redusere utslipp."},
    {"ref": "SM-SUS-04", "category": "sustainability", "kind": "should", "standards": [],
     "title": "Valgfri porsjonsstørrelse",
     "text": "Brukeren bør kunne velge porsjonsstørrelse, slik at mindre mat kastes."},
    {"ref": "SM-EXT-01", "category": "exit", "kind": "must", "standards": [],
     "title": "Dataportabilitet",
     "text": "Ved avtalens slutt skal bestillingshistorikk, kostbehov og allergiregistreringer "
             "utleveres i et åpent, maskinlesbart format uten tilleggskostnad."},
    {"ref": "SM-EXT-02", "category": "exit", "kind": "must", "standards": [],
     "title": "Overgang uten brudd i leveransene",
     "text": "Leverandøren skal medvirke til at brukerne får mat uten opphold ved "
             "leverandørbytte, og slette personopplysninger etter bekreftet overføring."},
]

REQUIREMENT_CATEGORIES = {
    "nutrition": "Ernæring og meny",
    "allergens": "Allergener",
    "ordering": "Bestilling",
    "delivery": "Levering og kjølekjede",
    "quality": "Kvalitet og brukeroppfølging",
    "sustainability": "Bærekraft og matsvinn",
    "exit": "Avslutning og leverandørbytte",
}

QUESTIONNAIRE = [
    {"key": "sm-q-01", "kind": "text", "choices": [], "required": True,
     "text": "Beskriv kort virksomheten og hvilke deler av tjenesten (produksjon, bestilling, "
             "levering, oppfølging) dere kan levere selv eller med samarbeidspartnere."},
    {"key": "sm-q-02", "kind": "multichoice", "required": True,
     "text": "Hvilke kostformer kan dere tilby i dag?",
     "choices": ["Normalkost", "Energi- og proteinrik kost", "Konsistenstilpasset kost",
                 "Kost ved diabetes", "Glutenfri kost", "Laktoseredusert kost", "Vegetarkost",
                 "Kost tilpasset religion og kultur"]},
    {"key": "sm-q-03", "kind": "multichoice", "required": True,
     "text": "Hvilke bestillingskanaler tilbyr dere?",
     "choices": ["Telefon med personlig betjening", "Nettløsning eller app for brukeren",
                 "Nettløsning for pårørende", "Bestilling via ansatte i hjemmetjenesten",
                 "Integrasjon med kommunens fagsystem"]},
    {"key": "sm-q-04", "kind": "choice", "required": True,
     "text": "Hvilken leveringsfrekvens anbefaler dere for hjemmeboende eldre?",
     "choices": ["Daglig", "To til tre ganger per uke", "Ukentlig",
                 "Fleksibelt etter brukerens behov"]},
    {"key": "sm-q-05", "kind": "text", "choices": [], "required": True,
     "text": "Hvordan sikrer og dokumenterer dere kjølekjeden fra produksjon til brukerens "
             "kjøleskap?"},
    {"key": "sm-q-06", "kind": "text", "choices": [], "required": True,
     "text": "Hvordan håndterer dere allergener og spesialkost i produksjon, merking og "
             "bestilling?"},
    {"key": "sm-q-07", "kind": "text", "choices": [], "required": False,
     "text": "Hvordan kan løsningen bidra til bedre matlyst, felles måltider og oppfølging av "
             "vekt og ernæringsstatus?"},
    {"key": "sm-q-08", "kind": "text", "choices": [], "required": False,
     "text": "Hvordan måler og reduserer dere matsvinn i dag? Oppgi gjerne tall."},
    {"key": "sm-q-09", "kind": "text", "choices": [], "required": False,
     "text": "Hvilke pris- og forretningsmodeller ser dere for dere, for eksempel pris per "
             "måltid, abonnement eller fast leveringspris?"},
    {"key": "sm-q-10", "kind": "text", "choices": [], "required": False,
     "text": "Er noe i dialogunderlaget uklart, unødig begrensende eller kostnadsdrivende? "
             "Foreslå gjerne andre løsninger."},
    {"key": "sm-q-11", "kind": "attachment", "choices": [], "required": False,
     "text": "Legg ved eksempelmeny med næringsberegning og allergenmerking, og annen relevant "
             "dokumentasjon. Merk eventuelle forretningshemmeligheter og begrunn merkingen."},
]

KPIS = [
    {"key": "user_satisfaction", "name": "Brukertilfredshet", "unit": "%", "direction": "increase",
     "description": "Andel brukere som svarer at de er fornøyd eller svært fornøyd med maten og "
                    "tjenesten i den årlige brukerundersøkelsen."},
    {"key": "nutrition_status_followup", "name": "Oppfølging av vekt og ernæringsstatus",
     "unit": "%", "direction": "increase",
     "description": "Andel brukere med vurdert ernæringsstatus og registrert vekt de siste tre "
                    "månedene, hentet fra kommunens fagsystem."},
    {"key": "food_waste", "name": "Matsvinn", "unit": "% av produsert mengde",
     "direction": "decrease",
     "description": "Matsvinn i produksjon og returnert mat som andel av produsert mengde. "
                    "Rapporteres også i kilo per måned."},
    {"key": "delivery_precision", "name": "Leveringspresisjon", "unit": "%",
     "direction": "increase",
     "description": "Andel leveranser som kommer innenfor avtalt tidsvindu."},
    {"key": "cold_chain_deviations", "name": "Avvik i kjølekjeden",
     "unit": "antall per 1000 leveranser",
     "direction": "decrease",
     "description": "Registrerte temperaturavvik fra produksjon til levering, per tusen "
                    "leveranser."},
]

GATE_ITEMS = [
    {"phase": "needs", "key": "sm-nutrition-expertise",
     "text": "Ernæringsfaglig kompetanse, for eksempel klinisk ernæringsfysiolog, er involvert i "
             "behovskartleggingen"},
    {"phase": "competition", "key": "sm-allergen-routines",
     "text": "Krav og rutiner for håndtering av allergener og spesialkost er avklart og "
             "kvalitetssikret"},
    {"phase": "contract", "key": "sm-cold-chain-control",
     "text": "Rutiner for kontroll av kjølekjede og temperaturlogging er avtalt med leverandøren"},
]

AWARD_CRITERIA = [
    {"name": "Kvalitet – mat, meny og valgfrihet", "weight": 30,
     "description": "Smak, variasjon, valgfrihet og ernæringsmessig kvalitet, vurdert blant "
                    "annet gjennom smakstest med brukerpanel og eksempelmeny."},
    {"name": "Bestilling, levering og brukeroppfølging", "weight": 20,
     "description": "Hvor godt bestillingskanaler, leveringsopplegg og oppfølging av brukerne "
                    "dekker behovene, også for brukere som ikke er digitale."},
    {"name": "Pris", "weight": 30,
     "description": "Samlet pris i kontraktsperioden etter oppgitt prismodell, inkludert "
                    "levering."},
    {"name": "Miljø og matsvinn", "weight": 20,
     "description": "Tiltak for å redusere matsvinn, utslipp fra transport og miljøbelastning "
                    "fra emballasje, med målbare mål."},
]

TEXTS = {
    "dialogue_invitation": (
        "Veiledende kunngjøring – invitasjon til markedsdialog\n"
        "{{ procurement_title }}\n\n"
        "Bakgrunn\n"
        "{{ municipalities }} skal anskaffe mat og måltidstjenester til hjemmeboende eldre. God "
        "ernæring er avgjørende for helse, funksjon og livskvalitet, og mange eldre som bor "
        "hjemme, spiser for lite. Vi ønsker en tjeneste der brukerne selv velger hva og når de vil "
        "spise, der maten er god og næringsrik, og der leveransen bidrar til trygghet i "
        "hverdagen.\n\n"
        "Hva vi ønsker å lære\n"
        "Vi beskriver behov, ikke ferdige løsninger. Vi vil gjerne høre hvordan markedet kan løse "
        "meny og ernæring etter Kosthåndboken, spesialkost og allergener, bestilling på telefon, "
        "nett og via ansatte, levering og kjølekjede, felles måltider, brukeroppfølging og "
        "reduksjon av matsvinn, og hvilke forretningsmodeller som er aktuelle.\n\n"
        "Slik foregår dialogen\n"
        "1. Dialogkonferanse {{ conference_date }}. Kommunen presenterer behov, planer og "
        "tidsplan. Presentasjoner, spørsmål og svar og referat gjøres tilgjengelig for alle "
        "påmeldte leverandører.\n"
        "2. Skriftlige tilbakemeldinger og løsningsforslag. Påmeldte leverandører besvarer et "
        "spørreskjema, gjerne med vedlegg, innen {{ response_deadline }}.\n"
        "3. En-til-en-møter. Alle påmeldte leverandører tilbys møter med samme lengde og samme "
        "agenda.\n\n"
        "Likebehandling\n"
        "Deltakelse i markedsdialogen er ikke en betingelse for å delta i en senere konkurranse og "
        "gir ingen fordeler. Alle leverandører behandles likt, og informasjon av betydning for "
        "konkurransen gjøres kjent for alle. Kunngjøringen forplikter ikke kommunen til å "
        "gjennomføre en anskaffelse.\n\n"
        "Forretningshemmeligheter\n"
        "Leverandører kan merke opplysninger som forretningshemmeligheter, med begrunnelse. Slike "
        "opplysninger deles ikke med andre og behandles i tråd med reglene om taushetsplikt.\n\n"
        "Påmelding og kontakt\n"
        "Påmelding og innsending skjer i leverandørportalen. Spørsmål kan sendes til {{ "
        "contact_email }}."
    ),
    "conference_agenda": (
        "Dialogkonferanse – {{ procurement_title }}\n"
        "{{ conference_date }}\n"
        "09.00 Registrering og kaffe\n"
        "09.30 Velkommen, bakgrunn og mål for anskaffelsen – {{ municipalities }}\n"
        "09.45 Måltidet i hverdagen: erfaringer fra brukere, pårørende og hjemmetjenesten\n"
        "10.15 Ernæring, spesialkost og allergener – faglige forventninger\n"
        "10.45 Pause\n"
        "11.00 Bestilling, levering og kjølekjede i dag: volum, utfordringer og ønsker\n"
        "11.30 Prosess, prosedyre og tidsplan – slik sikrer vi likebehandling\n"
        "11.45 Spørsmål og svar i plenum\n"
        "12.15 Veien videre: tilbakemeldinger innen {{ response_deadline }} og booking av "
        "en-til-en-møter\n"
        "12.30 Avslutning"
    ),
    "one_to_one_agenda": (
        "En-til-en-møte – {{ procurement_title }}\n"
        "Varighet 45 minutter. Samme lengde og agenda for alle leverandører.\n"
        "00–05 Presentasjon av deltakerne og rammer for møtet (likebehandling, referat, "
        "forretningshemmeligheter)\n"
        "05–20 Leverandørens løsningsforslag sett opp mot behovene\n"
        "20–35 Kommunens spørsmål om meny og ernæring, allergener, bestilling, levering og "
        "matsvinn\n"
        "35–42 Leverandørens innspill til krav, prosedyre og prismodell\n"
        "42–45 Oppsummering og veien videre\n"
        "Referatet deles kun med prosjektgruppen og den aktuelle leverandøren."
    ),
}

TEMPLATE = {
    "format": "samspill.template/1",
    "key": "smart-mat",
    "title": "Smart Mat – mat til hjemmeboende eldre",
    "summary": (
        "Anskaffelse av mat og måltidstjenester til hjemmeboende eldre med valgfrihet, god "
        "ernæring og trygg levering. Malen bygger på Bærums innovative anskaffelse og dekker meny "
        "etter Kosthåndboken, allergener, bestillingskanaler, kjølekjede og matsvinn."
    ),
    "domain": "smart_mat",
    "procedure": "competition_with_negotiation",
    "cpv_codes": ["55521100-9", "55521200-0", "55520000-1", "15894200-3"],
    "needs": [
        {k: v for k, v in n.items() if k not in ("key", "theme")}
        for n in NEEDS_CATALOGUE
        if n["key"] in {"sm-need-01", "sm-need-02", "sm-need-03", "sm-need-05", "sm-need-07",
                        "sm-need-09", "sm-need-11", "sm-need-12", "sm-need-13"}
    ],
    "texts": TEXTS,
    "questionnaire": QUESTIONNAIRE,
    "requirements": [
        {k: r[k] for k in ("ref", "category", "title", "text", "kind")}
        for r in REQUIREMENTS
        if r["ref"] in {"SM-NUT-01", "SM-NUT-03", "SM-NUT-04", "SM-NUT-06", "SM-ALG-01",
                        "SM-ALG-02", "SM-ORD-01", "SM-ORD-03", "SM-DEL-01", "SM-DEL-02",
                        "SM-DEL-03", "SM-QUA-01", "SM-SUS-01", "SM-EXT-01"}
    ],
    "award_criteria": AWARD_CRITERIA,
    "gate_items": GATE_ITEMS,
    "kpis": KPIS,
}
# fmt: on
