"""Domeneinnhold for velferdsteknologi (trygghetsalarm, responssenter og trygghetsteknologi).

Rene data for malen «Tryggere hverdag»: behovskatalog, kravbibliotek, spørreskjema,
gevinstindikatorer, porter, tildelingskriterier og tekster. Standarder omtales kun ved navn.
"""

from __future__ import annotations

# Håndformatert katalogdata: behold kompakt oppsett.
# fmt: off
DOMAIN = {
    "key": "welfare_tech",
    "name": "Velferdsteknologi",
    "name_en": "Welfare technology",
    "description": (
        "Trygghetsalarmer og responssentertjenester, digitalt tilsyn, lokaliseringsteknologi "
        "(GPS), fallsensorer og medisindispensere for innbyggere som bor hjemme. Kravbiblioteket "
        "viser til SCAIP, Normen og nasjonale anbefalinger om tekniske krav til trygghetsteknologi."
    ),
}

NEEDS_CATALOGUE = [
    {"key": "wt-need-01", "theme": "Trygghet i eget hjem", "source": "interview", "priority": 1,
     "user_group": "Hjemmeboende eldre med trygghetsalarm",
     "statement": "Jeg vil kunne tilkalle hjelp raskt uansett hvor i boligen jeg er, også når "
                  "jeg ikke rekker eller klarer å trykke på alarmknappen."},
    {"key": "wt-need-02", "theme": "Trygghet i eget hjem", "source": "workshop", "priority": 1,
     "user_group": "Hjemmeboende med trygghetsalarm",
     "statement": "Når alarmen går, vil jeg snakke med en fagperson som kjenner situasjonen min "
                  "og kan vurdere om noen må komme hjem til meg."},
    {"key": "wt-need-03", "theme": "Fall", "source": "observation", "priority": 1,
     "user_group": "Hjemmeboende med høy fallrisiko",
     "statement": "Fall må oppdages automatisk, også når brukeren er forvirret eller bevisstløs, "
                  "slik at tiden på gulvet før hjelpen kommer blir kortest mulig."},
    {"key": "wt-need-04", "theme": "Fall", "source": "workshop", "priority": 2,
     "user_group": "Fysioterapeuter og ergoterapeuter",
     "statement": "Vi trenger oversikt over fall og nesten-fall over tid for å sette inn "
                  "forebyggende tiltak som trening, tilrettelegging og legemiddelgjennomgang."},
    {"key": "wt-need-05", "theme": "Vandring og orienteringsvansker", "source": "interview",
     "priority": 1, "user_group": "Personer med demens og deres pårørende",
     "statement": "Den som går seg bort, må kunne finnes raskt, uten at friheten til å gå tur på "
                  "egen hånd begrenses mer enn nødvendig."},
    {"key": "wt-need-06", "theme": "Vandring og orienteringsvansker", "source": "workshop",
     "priority": 2, "user_group": "Demensteam i hjemmetjenesten",
     "statement": "Vi trenger varsel når en person forlater boligen på uvanlige tidspunkter, med "
                  "innstillinger som tilpasses den enkelte og vurderes jevnlig."},
    {"key": "wt-need-07", "theme": "Nattlig tilsyn", "source": "observation", "priority": 1,
     "user_group": "Brukere med vedtak om nattlig tilsyn",
     "statement": "Faste tilsynsrunder om natten vekker brukere som sover godt; tilsyn bør skje "
                  "når det faktisk er behov for det."},
    {"key": "wt-need-08", "theme": "Nattlig tilsyn", "source": "interview", "priority": 2,
     "user_group": "Nattpatruljen i hjemmetjenesten",
     "statement": "Nattevakten må se hvem som er urolige, har stått opp eller ikke har kommet "
                  "tilbake til sengen, for å prioritere riktig i løpet av natten."},
    {"key": "wt-need-09", "theme": "Legemiddelhåndtering", "source": "interview", "priority": 1,
     "user_group": "Hjemmeboende med faste legemidler",
     "statement": "Jeg vil få riktig medisin til riktig tid uten at hjemmetjenesten må komme på "
                  "besøk ved hver eneste dose."},
    {"key": "wt-need-10", "theme": "Legemiddelhåndtering", "source": "workshop", "priority": 2,
     "user_group": "Sykepleiere i hjemmetjenesten",
     "statement": "Vi må få beskjed samme dag når en dose ikke er tatt ut, slik at avviket kan "
                  "følges opp før det får konsekvenser."},
    {"key": "wt-need-11", "theme": "Pårørendes trygghet", "source": "survey", "priority": 2,
     "user_group": "Pårørende",
     "statement": "Vi vil vite at alarmen virker og at noen reagerer når den går, uten at vi "
                  "selv må være i beredskap døgnet rundt."},
    {"key": "wt-need-12", "theme": "Pårørendes trygghet", "source": "interview", "priority": 3,
     "user_group": "Pårørende",
     "statement": "Pårørende som ønsker det, vil kunne være kontaktperson og få relevant "
                  "informasjon, så langt brukeren har samtykket til det."},
    {"key": "wt-need-13", "theme": "Ansattes arbeidsbelastning", "source": "observation",
     "priority": 1, "user_group": "Ansatte i hjemmetjenesten",
     "statement": "Mange utrykninger gjelder alarmer som kunne vært avklart i samtale; vi "
                  "trenger bedre vurdering i responssenteret før noen sendes ut."},
    {"key": "wt-need-14", "theme": "Ansattes arbeidsbelastning", "source": "workshop",
     "priority": 1, "user_group": "Ansatte i hjemmetjenesten og responssenteret",
     "statement": "Varsler fra ulike teknologier må samles i én arbeidsflate, ikke spres på "
                  "flere apper, telefoner og innlogginger."},
]

_NORMEN = "Norm for informasjonssikkerhet og personvern i helse- og omsorgssektoren (Normen)"
_NASJ = "nasjonale anbefalinger om tekniske krav til trygghetsteknologi"
_SCAIP = "SCAIP (SS 91100)"
_CLC = "CLC/TS 50134-9"
_UU = "WCAG 2.1 / forskrift om universell utforming av IKT"

REQUIREMENTS = [
    {"ref": "WT-FUN-01", "category": "function", "kind": "must", "standards": [_NASJ],
     "title": "Trygghetsalarm med toveis tale",
     "text": "Trygghetsalarmen skal ha en bærbar utløser (armbånd eller halssmykke) og toveis "
             "tale med god lydkvalitet i hele boligen, også i baderom."},
    {"ref": "WT-FUN-02", "category": "function", "kind": "must", "standards": [],
     "title": "Automatisk fallvarsling",
     "text": "Løsningen skal kunne oppdage fall automatisk med bærbar eller fastmontert sensor "
             "og utløse alarm uten brukerens medvirkning. Leverandøren skal dokumentere "
             "treffsikkerhet og andel feilvarsler."},
    {"ref": "WT-FUN-03", "category": "function", "kind": "must", "standards": [],
     "title": "Digitalt nattlig tilsyn",
     "text": "Løsningen skal tilby digitalt tilsyn, for eksempel sensorer eller kamera med "
             "anonymisert bilde, som etter individuell vurdering kan erstatte fysiske "
             "tilsynsbesøk."},
    {"ref": "WT-FUN-04", "category": "function", "kind": "must", "standards": [],
     "title": "Lokaliseringsteknologi (GPS)",
     "text": "Lokaliseringsenheten skal vise posisjon ved alarm og støtte individuelt definerte "
             "trygge soner. Posisjon skal bare hentes ved alarm eller aktivt søk i tråd med "
             "vedtaket."},
    {"ref": "WT-FUN-05", "category": "function", "kind": "must", "standards": [],
     "title": "Elektronisk medisindispenser",
     "text": "Medisindispenseren skal varsle brukeren ved doseringstidspunkt, holde andre doser "
             "låst og varsle tjenesten når en dose ikke er tatt ut innen avtalt tid."},
    {"ref": "WT-FUN-06", "category": "function", "kind": "must", "standards": [],
     "title": "Individuell tilpasning",
     "text": "Kommunen skal selv kunne tilpasse terskler, tidsvinduer, varslingsmottakere og "
             "tiltaksplan for hver bruker uten bistand fra leverandøren."},
    {"ref": "WT-FUN-07", "category": "function", "kind": "should", "standards": [],
     "title": "Mobil trygghetsalarm",
     "text": "Det bør tilbys en mobil trygghetsalarm med tale og posisjon for aktive brukere som "
             "ønsker trygghet også utenfor hjemmet."},
    {"ref": "WT-INT-01", "category": "interoperability", "kind": "must",
     "title": "Uavhengighet mellom utstyr og responssenter", "standards": [_SCAIP, _NASJ],
     "text": "Utstyret skal kunne kobles til responssentre fra andre leverandører via åpen "
             "protokoll, slik at kommunen ikke bindes til én leverandør for både utstyr og "
             "alarmmottak."},
    {"ref": "WT-INT-02", "category": "interoperability", "kind": "must", "standards": [],
     "title": "Integrasjon med fagsystem (EPJ)",
     "text": "Hendelser, tiltak og dokumentasjon fra responssenteret skal kunne overføres til "
             "kommunens elektroniske pasientjournal (fagsystem), slik at dobbeltregistrering "
             "unngås."},
    {"ref": "WT-INT-03", "category": "interoperability", "kind": "should", "standards": [],
     "title": "Oppdaterte brukeropplysninger",
     "text": "Løsningen bør hente oppdatert brukerinformasjon, kontaktpersoner og "
             "nøkkelinformasjon fra fagsystemet, slik at responssenteret alltid har riktig "
             "grunnlag."},
    {"ref": "WT-INT-04", "category": "interoperability", "kind": "must", "standards": [],
     "title": "Felles varselmottak",
     "text": "Varsler fra trygghetsalarm, sensorer, lokaliseringsenheter og medisindispensere "
             "skal kunne mottas, prioriteres og kvitteres i én felles mottaksløsning."},
    {"ref": "WT-INT-05", "category": "interoperability", "kind": "must", "standards": [],
     "title": "Dokumenterte grensesnitt",
     "text": "Leverandøren skal uten tilleggskostnad stille oppdatert dokumentasjon av alle "
             "grensesnitt (API) til rådighet og tillate integrasjon med tredjepartsutstyr."},
    {"ref": "WT-ALP-01", "category": "alarm_protocol", "kind": "must", "standards": [_SCAIP, _CLC],
     "title": "IP-basert alarmoverføring",
     "text": "Alarmer skal overføres digitalt over IP med SCAIP eller tilsvarende åpen protokoll "
             "som oppfyller CLC/TS 50134-9. Analog overføring aksepteres ikke."},
    {"ref": "WT-ALP-02", "category": "alarm_protocol", "kind": "must", "standards": [_CLC, _NASJ],
     "title": "Reservevei for kommunikasjon",
     "text": "Alarmenheten skal ha minst to uavhengige kommunikasjonsveier, for eksempel "
             "mobilnett fra to operatører, og skifte automatisk ved bortfall uten at alarmer går "
             "tapt."},
    {"ref": "WT-ALP-03", "category": "alarm_protocol", "kind": "must", "standards": [_SCAIP, _CLC],
     "title": "Linjeovervåking (heartbeat)",
     "text": "Forbindelsen mellom alarmenhet og mottakssentral skal overvåkes med periodiske "
             "kontrollsignaler. Bortfall skal varsles mottakssentralen innen avtalt tid."},
    {"ref": "WT-ALP-04", "category": "alarm_protocol", "kind": "must", "standards": [_NASJ],
     "title": "Strømbrudd og batteri",
     "text": "Alarmenheten skal fungere i minst 24 timer ved strømbrudd. Strømbrudd og lavt "
             "batteri i enhet og utløsere skal varsles automatisk."},
    {"ref": "WT-ALP-05", "category": "alarm_protocol", "kind": "must", "standards": [_SCAIP],
     "title": "Kvittering og ny sending",
     "text": "Mottatt alarm skal kvitteres tilbake til enheten, og enheten skal sende på nytt "
             "til kvittering er mottatt. Utstyrets status skal være synlig for kommunen."},
    {"ref": "WT-ALP-06", "category": "alarm_protocol", "kind": "must", "standards": [],
     "title": "Tidsstempling av alarmforløpet",
     "text": "Hver alarm skal tidsstemples ved utløsning, mottak, besvarelse, eventuell "
             "utrykning og avslutning, slik at responstid kan måles og rapporteres."},
    {"ref": "WT-SEC-01", "category": "security_privacy", "kind": "must", "standards": [_NORMEN],
     "title": "Etterlevelse av Normen",
     "text": "Leverandøren skal etterleve Normen og kunne dokumentere dette, blant annet med "
             "risikovurderinger og rutiner som kommunen får innsyn i ved forespørsel."},
    {"ref": "WT-SEC-02", "category": "security_privacy", "kind": "must", "standards": [],
     "title": "Databehandleravtale",
     "text": "Det skal inngås databehandleravtale med hver kommune før oppstart. Alle "
             "underdatabehandlere skal oppgis, og nye krever kommunens forhåndsgodkjenning."},
    {"ref": "WT-SEC-03", "category": "security_privacy", "kind": "must", "standards": [],
     "title": "Bistand til personvernkonsekvensvurdering",
     "text": "Leverandøren skal gi kommunen det grunnlaget som trengs for en "
             "personvernkonsekvensvurdering (DPIA), herunder dataflyt, lagringstider og "
             "sikkerhetstiltak."},
    {"ref": "WT-SEC-04", "category": "security_privacy", "kind": "must", "standards": [_NORMEN],
     "title": "Tilgangsstyring og logging",
     "text": "Tilgang skal være rollebasert og begrenset til tjenstlig behov. Alt innsyn i og "
             "all endring av helseopplysninger skal logges, og loggene skal være tilgjengelige "
             "for kommunens kontroll."},
    {"ref": "WT-SEC-05", "category": "security_privacy", "kind": "must", "standards": [],
     "title": "Lagring i EU/EØS",
     "text": "Personopplysninger skal lagres og behandles innenfor EU/EØS. Overføring til "
             "tredjeland er ikke tillatt uten kommunens skriftlige forhåndsgodkjenning."},
    {"ref": "WT-SEC-06", "category": "security_privacy", "kind": "must", "standards": [_NORMEN],
     "title": "Sterk autentisering og kryptering",
     "text": "Ansatte skal logge inn med tofaktorautentisering, helst via kommunens "
             "identitetsløsning. All kommunikasjon mellom enheter, mottakssentral og fagsystem "
             "skal være kryptert."},
    {"ref": "WT-SEC-07", "category": "security_privacy", "kind": "should", "standards": [],
     "title": "Personvernvennlige standardinnstillinger",
     "text": "Løsningen bør ha personvernvennlige standardvalg, for eksempel anonymisert "
             "kamerabilde og deling av posisjon kun ved alarm."},
    {"ref": "WT-OPS-01", "category": "operations", "kind": "must", "standards": [],
     "title": "Døgnkontinuerlig tilgjengelighet",
     "text": "Alarmmottak og responssentertjeneste skal være tilgjengelig hele døgnet alle "
             "dager, med oppetid for alarmmottaket på minst 99,9 prosent per måned."},
    {"ref": "WT-OPS-02", "category": "operations", "kind": "must", "standards": [],
     "title": "Bemanning og kompetanse i responssenteret",
     "text": "Responssenteret skal bemannes med autorisert helsepersonell og dimensjoneres slik "
             "at alarmer besvares innen avtalt tid også i perioder med høy belastning."},
    {"ref": "WT-OPS-03", "category": "operations", "kind": "must", "standards": [],
     "title": "Tjenestenivåavtale (SLA)",
     "text": "Avtalen skal ha målbare krav til besvarelsestid, oppetid og feilretting, med "
             "månedlig rapportering per kommune og økonomiske konsekvenser ved brudd."},
    {"ref": "WT-OPS-04", "category": "operations", "kind": "must", "standards": [_NORMEN],
     "title": "Hendelses- og avvikshåndtering",
     "text": "Kommunen skal varsles uten ugrunnet opphold ved driftsavbrudd og sikkerhetsbrudd, "
             "og få skriftlig rapport med årsak, konsekvens og tiltak."},
    {"ref": "WT-OPS-05", "category": "operations", "kind": "must", "standards": [],
     "title": "Overlevering til utrykning",
     "text": "Det skal være avtalte rutiner for overlevering fra responssenteret til kommunens "
             "utrykningstjeneste, inkludert tilgang til boligen og tilbakemelding når oppdraget "
             "er utført."},
    {"ref": "WT-OPS-06", "category": "operations", "kind": "should", "standards": [],
     "title": "Utstyrslogistikk og ombruk",
     "text": "Leverandøren bør håndtere installasjon, batteribytte, retur og ombruk av utstyr "
             "med sporbarhet per enhet, og sørge for miljøriktig gjenvinning av kasserte "
             "enheter."},
    {"ref": "WT-USE-01", "category": "usability", "kind": "must", "standards": [_UU],
     "title": "Universell utforming",
     "text": "Digitale grensesnitt for ansatte, brukere og pårørende skal oppfylle kravene i "
             "WCAG 2.1 slik forskrift om universell utforming av IKT krever."},
    {"ref": "WT-USE-02", "category": "usability", "kind": "must", "standards": [],
     "title": "Tilpasset kognitiv svikt",
     "text": "Brukerutstyret skal kunne betjenes uten lese- og skriveferdigheter og uten å huske "
             "flere trinn, tåle feilbruk og gi tydelige lyd- og lyssignaler."},
    {"ref": "WT-USE-03", "category": "usability", "kind": "should", "standards": [],
     "title": "Løsning for pårørende",
     "text": "Pårørende som er kontaktpersoner, bør kunne motta varsler og status i app eller på "
             "SMS, styrt av brukerens samtykke."},
    {"ref": "WT-TRN-01", "category": "training", "kind": "must", "standards": [],
     "title": "Opplæring av ansatte",
     "text": "Leverandøren skal tilby opplæring for ansatte i hjemmetjenesten, "
             "tildelingskontoret og superbrukere ved oppstart og ved vesentlige endringer i "
             "løsningen."},
    {"ref": "WT-TRN-02", "category": "training", "kind": "must", "standards": [],
     "title": "Veiledning for brukere og pårørende",
     "text": "Det skal følge med enkle brukerveiledninger på papir og digitalt, tilpasset eldre "
             "og personer med kognitiv svikt, og leverandøren skal bistå ved første gangs bruk."},
    {"ref": "WT-EXT-01", "category": "exit", "kind": "must", "standards": [],
     "title": "Dataportabilitet",
     "text": "Ved avtalens slutt skal kommunens data, inkludert brukeropplysninger, "
             "alarmhistorikk og logger, utleveres i åpent, dokumentert og maskinlesbart format "
             "uten tilleggskostnad."},
    {"ref": "WT-EXT-02", "category": "exit", "kind": "must", "standards": [],
     "title": "Exitplan",
     "text": "Leverandøren skal innen seks måneder etter kontraktsinngåelse levere en exitplan "
             "som viser hvordan tjenesten kan overføres til ny leverandør uten brudd i "
             "alarmmottaket."},
    {"ref": "WT-EXT-03", "category": "exit", "kind": "should", "standards": [_SCAIP],
     "title": "Gjenbruk av utstyr ved leverandørbytte",
     "text": "Utstyr kommunen eier, bør kunne konfigureres om til en ny mottakssentral uten "
             "fysisk utskifting hos brukeren."},
    {"ref": "WT-EXT-04", "category": "exit", "kind": "must", "standards": [],
     "title": "Sletting etter overføring",
     "text": "Etter bekreftet overføring skal leverandøren slette kommunens personopplysninger "
             "og dokumentere slettingen skriftlig."},
]

REQUIREMENT_CATEGORIES = {
    "function": "Funksjon",
    "interoperability": "Samhandling og integrasjon",
    "alarm_protocol": "Alarmoverføring og protokoll",
    "security_privacy": "Informasjonssikkerhet og personvern",
    "operations": "Drift og responssentertjeneste",
    "usability": "Brukervennlighet og universell utforming",
    "training": "Opplæring",
    "exit": "Avslutning og leverandørbytte",
}

QUESTIONNAIRE = [
    {"key": "wt-q-01", "kind": "text", "choices": [], "required": True,
     "text": "Beskriv kort virksomheten deres og hvilke deler av behovet dere kan dekke selv "
             "eller sammen med samarbeidspartnere."},
    {"key": "wt-q-02", "kind": "multichoice", "required": True,
     "text": "Hvilke tjenesteområder kan dere levere i dag?",
     "choices": ["Trygghetsalarm", "Responssentertjeneste", "Digitalt tilsyn",
                 "Lokaliseringsteknologi (GPS)", "Fallsensor", "Medisindispenser",
                 "Felles mottaksløsning for varsler"]},
    {"key": "wt-q-03", "kind": "text", "choices": [], "required": True,
     "text": "Beskriv et løsningsforslag som svarer på de prioriterte behovene. Hvordan vil "
             "løsningen endre arbeidsflyten i hjemmetjenesten og responssenteret?"},
    {"key": "wt-q-04", "kind": "multichoice", "required": True,
     "text": "Hvilke alarmprotokoller støtter utstyret og mottakssentralen deres?",
     "choices": ["SCAIP (SS 91100)", "Annen åpen IP-protokoll i tråd med CLC/TS 50134-9",
                 "Proprietær IP-protokoll", "Analog overføring", "Under utvikling"]},
    {"key": "wt-q-05", "kind": "text", "choices": [], "required": True,
     "text": "Hvordan kan løsningen integreres med kommunens fagsystem (EPJ) og med "
             "responssentre fra andre leverandører? Oppgi integrasjoner som er i drift i dag."},
    {"key": "wt-q-06", "kind": "choice", "required": True,
     "text": "Hvor lagres og behandles personopplysninger i løsningen deres?",
     "choices": ["Kun i Norge", "Innenfor EU/EØS", "Delvis utenfor EU/EØS", "Avhenger av oppsett"]},
    {"key": "wt-q-07", "kind": "text", "choices": [], "required": False,
     "text": "Hvilke forretnings- og prismodeller foreslår dere, for eksempel pris per bruker "
             "per måned eller kjøp mot leie av utstyr? Hva bør kommunene være oppmerksomme på?"},
    {"key": "wt-q-08", "kind": "choice", "required": False,
     "text": "Hvilken prosedyre mener dere gir best rom for innovasjon i denne anskaffelsen?",
     "choices": ["Konkurransepreget dialog", "Konkurranse med forhandling",
                 "Innovasjonspartnerskap", "Åpen anbudskonkurranse", "Ingen formening"]},
    {"key": "wt-q-09", "kind": "text", "choices": [], "required": False,
     "text": "Hvordan kan gevinster som unngåtte hjemmebesøk, kortere responstid og færre falske "
             "alarmer måles og dokumenteres i kontraktsperioden?"},
    {"key": "wt-q-10", "kind": "text", "choices": [], "required": False,
     "text": "Er noe i behovsbeskrivelsen eller de foreløpige kravene uklart, unødig begrensende "
             "eller kostnadsdrivende? Foreslå gjerne andre formuleringer."},
    {"key": "wt-q-11", "kind": "attachment", "choices": [], "required": False,
     "text": "Legg ved produktark, referanser eller annen relevant dokumentasjon. Merk "
             "eventuelle forretningshemmeligheter og begrunn merkingen."},
]

KPIS = [
    {"key": "avoided_home_visits", "name": "Unngåtte hjemmebesøk per måned",
     "unit": "antall per måned", "direction": "increase",
     "description": "Planlagte tilsyn og utrykninger som er erstattet av digitalt tilsyn, "
                    "avklaring i responssenteret eller medisindispenser, målt mot baseline fra "
                    "behovsfasen."},
    {"key": "alarm_response_time", "name": "Responstid alarm", "unit": "minutter",
     "direction": "decrease",
     "description": "Median tid fra alarmen utløses til hjelp er hos brukeren, for alarmer som "
                    "krever utrykning. Beregnes fra tidsstemplene i alarmloggen."},
    {"key": "false_alarm_share", "name": "Andel falske alarmer", "unit": "%",
     "direction": "decrease",
     "description": "Andel alarmer utløst uten reelt behov for hjelp, av alle mottatte alarmer i "
                    "perioden. Følges opp per teknologi."},
    {"key": "digital_night_supervision", "name": "Andel nattlige tilsyn gjort digitalt",
     "unit": "%", "direction": "increase",
     "description": "Andel av vedtatte nattlige tilsyn som gjennomføres digitalt i stedet for "
                    "ved fysisk besøk."},
    {"key": "medication_adherence", "name": "Doser tatt til rett tid", "unit": "%",
     "direction": "increase",
     "description": "Andel doser fra medisindispenser som tas ut innen avtalt tidsvindu."},
    {"key": "perceived_safety", "name": "Opplevd trygghet", "unit": "skår 1–5",
     "direction": "increase",
     "description": "Gjennomsnittlig opplevd trygghet blant brukere og pårørende, målt med "
                    "spørreundersøkelse før innføring og årlig deretter."},
]

GATE_ITEMS = [
    {"phase": "needs", "key": "wt-users-involved",
     "text": "Brukere og pårørende er involvert i behovskartleggingen"},
    {"phase": "dialogue", "key": "wt-dpia-planned",
     "text": "Personvernkonsekvensvurdering (DPIA) er planlagt før konkurransen"},
    {"phase": "competition", "key": "wt-open-protocols-checked",
     "text": "Krav til åpne alarmprotokoller og integrasjon er kontrollert mot nasjonale "
             "anbefalinger om tekniske krav til trygghetsteknologi"},
    {"phase": "contract", "key": "wt-dpa-signed",
     "text": "Databehandleravtale er inngått for hver kommune før tjenesten tas i bruk"},
]

AWARD_CRITERIA = [
    {"name": "Kvalitet og funksjonalitet", "weight": 40,
     "description": "Hvor godt løsningen dekker de prioriterte behovene, inkludert "
                    "brukervennlighet, treffsikkerhet i varsling og kvaliteten på "
                    "responssentertjenesten.",
     "sub_criteria": [
         {"name": "Brukervennlighet for brukere og ansatte", "weight": 15,
          "description": "Vurderes ut fra beskrivelse, demonstrasjon og brukertest."},
         {"name": "Treffsikkerhet i varsling", "weight": 15,
          "description": "Dokumentert andel riktige varsler og feilvarsler ved fall og nattlig tilsyn."},
         {"name": "Kvalitet i responssentertjenesten", "weight": 10,
          "description": "Bemanning, kompetanse og rutiner for vurdering av alarmer."}]},
    {"name": "Pris og totalkostnad", "weight": 30, "price_model": "lowest_proportional",
     "description": "Samlede kostnader i kontraktsperioden for utstyr, tjenester, integrasjoner "
                    "og eventuelle opsjoner, etter prisskjemaet."},
    {"name": "Implementering og gevinstrealisering", "weight": 30,
     "description": "Plan for innføring, opplæring, utstyrslogistikk og samhandling med "
                    "kommunens utrykningstjeneste, og hvordan leverandøren vil dokumentere "
                    "gevinster sammen med kommunene i kontraktsperioden."},
]

# Which needs each template requirement answers (keys of NEEDS_CATALOGUE), for traceability.
REQUIREMENT_NEEDS = {
    "WT-FUN-01": ["wt-need-01"], "WT-FUN-02": ["wt-need-03"], "WT-FUN-03": ["wt-need-07"],
    "WT-INT-01": ["wt-need-14"], "WT-INT-02": ["wt-need-02", "wt-need-13"],
    "WT-ALP-01": ["wt-need-01", "wt-need-11"], "WT-ALP-02": ["wt-need-11"],
    "WT-ALP-03": ["wt-need-11"], "WT-SEC-01": ["wt-need-02"], "WT-SEC-02": ["wt-need-02"],
    "WT-SEC-05": ["wt-need-02"], "WT-OPS-01": ["wt-need-02", "wt-need-13"],
    "WT-USE-02": ["wt-need-05", "wt-need-03"], "WT-EXT-01": ["wt-need-14"],
}

TEXTS = {
    "dialogue_invitation": (
        "Veiledende kunngjøring – invitasjon til markedsdialog\n"
        "{{ procurement_title }}\n\n"
        "Bakgrunn\n"
        "{{ municipalities }} forbereder en felles anskaffelse av fremtidens "
        "responssentertjenester og trygghetsteknologi. Stadig flere innbyggere ønsker å bo "
        "trygt hjemme lenger, samtidig som hjemmetjenesten må bruke tiden der den gir mest. "
        "Anskaffelsen kan omfatte trygghetsalarm, responssentertjeneste, digitalt tilsyn, "
        "lokaliseringsteknologi, fallsensorer og medisindispensere.\n\n"
        "Hva vi ønsker å lære\n"
        "Vi beskriver behov, ikke ferdige løsninger. Gjennom dialogen vil vi forstå hva markedet "
        "kan levere i dag og i kontraktsperioden, og få innspill om åpne alarmprotokoller, "
        "integrasjon med fagsystem og responssentre, informasjonssikkerhet og personvern, "
        "forretningsmodeller og måling av gevinster.\n\n"
        "Slik foregår dialogen\n"
        "1. Dialogkonferanse {{ conference_date }}. Kommunene presenterer behov, planer og "
        "tidsplan. Presentasjoner, spørsmål og svar og referat gjøres tilgjengelig for alle "
        "påmeldte leverandører.\n"
        "2. Skriftlige tilbakemeldinger og løsningsforslag. Påmeldte leverandører besvarer et "
        "spørreskjema, gjerne med vedlegg, innen {{ response_deadline }}.\n"
        "3. En-til-en-møter. Alle påmeldte leverandører tilbys møter med samme lengde og samme "
        "agenda.\n\n"
        "Likebehandling\n"
        "Deltakelse i markedsdialogen er ikke en betingelse for å delta i en senere konkurranse "
        "og gir ingen fordeler. Alle leverandører behandles likt, og informasjon av betydning "
        "for konkurransen gjøres kjent for alle. Kunngjøringen forplikter ikke kommunene til å "
        "gjennomføre en anskaffelse.\n\n"
        "Forretningshemmeligheter\n"
        "Leverandører kan merke opplysninger som forretningshemmeligheter, med begrunnelse. "
        "Slike opplysninger deles ikke med andre og behandles i tråd med reglene om "
        "taushetsplikt.\n\n"
        "Påmelding og kontakt\n"
        "Påmelding og innsending skjer i leverandørportalen. Spørsmål kan sendes til "
        "{{ contact_email }}."
    ),
    "conference_agenda": (
        "Dialogkonferanse – {{ procurement_title }}\n"
        "{{ conference_date }}\n"
        "09.00 Registrering og kaffe\n"
        "09.30 Velkommen, bakgrunn og mål for anskaffelsen – {{ municipalities }}\n"
        "09.45 Brukernes og pårørendes hverdag – behov og historier\n"
        "10.15 Hjemmetjenesten og responssenteret i dag: arbeidsflyt, volum og utfordringer\n"
        "10.45 Pause\n"
        "11.00 Tekniske rammer: åpne alarmprotokoller, integrasjon og personvern\n"
        "11.30 Prosess, prosedyre og tidsplan – slik sikrer vi likebehandling\n"
        "11.45 Spørsmål og svar i plenum\n"
        "12.15 Veien videre: tilbakemeldinger innen {{ response_deadline }} og booking av "
        "en-til-en-møter\n"
        "12.30 Avslutning"
    ),
    "one_to_one_agenda": (
        "En-til-en-møte – {{ procurement_title }}\n"
        "Varighet 60 minutter. Samme lengde og agenda for alle leverandører.\n"
        "00–05 Presentasjon av deltakerne og rammer for møtet (likebehandling, referat, "
        "forretningshemmeligheter)\n"
        "05–25 Leverandørens løsningsforslag sett opp mot de prioriterte behovene\n"
        "25–45 Kommunenes spørsmål om integrasjon, alarmoverføring, personvern, drift og "
        "innføring\n"
        "45–55 Leverandørens innspill til krav, prosedyre, prismodell og gevinstmåling\n"
        "55–60 Oppsummering og veien videre\n"
        "Referatet deles kun med prosjektgruppen og den aktuelle leverandøren."
    ),
}

# The same texts for a municipality buying alone (`<name>_solo`, docs/template-format.md).
SOLO_WORDING = (("forbereder en felles anskaffelse", "forbereder en anskaffelse"),
                ("Kommunene presenterer", "Kommunen presenterer"),
                ("forplikter ikke kommunene", "forplikter ikke kommunen"),
                ("Kommunenes spørsmål", "Kommunens spørsmål"))


def _solo(text):
    for joint, alone in SOLO_WORDING:
        text = text.replace(joint, alone)
    return text


TEXTS.update({f"{name}_solo": _solo(text) for name, text in list(TEXTS.items())})

TEMPLATE = {
    "format": "samspill.template/1",
    "key": "tryggere-hverdag",
    "title": "Tryggere hverdag – fremtidens responssentertjenester og trygghetsteknologi",
    "summary": (
        "Felles anskaffelse av responssentertjenester og trygghetsteknologi for innbyggere som "
        "bor hjemme. Malen bygger på Asker og Bærums behovsarbeid og markedsdialog, med "
        "kravbibliotek om åpne alarmprotokoller, integrasjon og personvern."
    ),
    "domain": "welfare_tech",
    "procedure": "competitive_dialogue",
    "cpv_codes": ["85311100-3", "79711000-1", "35120000-1", "72260000-5"],
    "needs": [
        {k: v for k, v in n.items() if k != "theme"}
        for n in NEEDS_CATALOGUE
        if n["key"] in {"wt-need-01", "wt-need-02", "wt-need-03", "wt-need-05", "wt-need-07",
                        "wt-need-09", "wt-need-11", "wt-need-13", "wt-need-14"}
    ],
    "texts": TEXTS,
    "questionnaire": QUESTIONNAIRE,
    "requirements": [
        {**{k: r[k] for k in ("ref", "category", "title", "text", "kind")}, "needs": REQUIREMENT_NEEDS[r["ref"]]}
        for r in REQUIREMENTS
        if r["ref"] in {"WT-FUN-01", "WT-FUN-02", "WT-FUN-03", "WT-INT-01", "WT-INT-02",
                        "WT-ALP-01", "WT-ALP-02", "WT-ALP-03", "WT-SEC-01", "WT-SEC-02",
                        "WT-SEC-05", "WT-OPS-01", "WT-USE-02", "WT-EXT-01"}
    ],
    "award_criteria": AWARD_CRITERIA,
    "gate_items": GATE_ITEMS,
    "kpis": KPIS,
}
# fmt: on
