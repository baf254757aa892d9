"""Draft translations of the DIALOG scale, version 1, into the seven local languages.

These are the DIALOG+ team's own draft translations, not the officially validated
ones that clinics hold: each language gets a WordingStatus "draft" row until an admin
pastes and confirms a validated wording. English is the reference (docs/dialog.md).

Patients are addressed politely (Vi / Ви / ju); rating labels use the polite plural
so that they answer "Koliko ste zadovoljni ...?" grammatically. Serbian Latin is the
letter-for-letter transliteration of the Serbian Cyrillic text. Montenegrin is Latin
and ijekavian.
"""

from django.db import migrations

SR = {
    "help_question": "Да ли Вам је потребно више помоћи у овој области?",
    "domains": {
        "mental_health": ("Ментално здравље", "Колико сте задовољни својим менталним здрављем?"),
        "physical_health": ("Физичко здравље", "Колико сте задовољни својим физичким здрављем?"),
        "job": ("Радна ситуација", "Колико сте задовољни својом радном ситуацијом?"),
        "accommodation": ("Смештај", "Колико сте задовољни својим смештајем?"),
        "leisure": (
            "Активности у слободно време",
            "Колико сте задовољни својим активностима у слободно време?",
        ),
        "friendships": ("Пријатељства", "Колико сте задовољни својим пријатељствима?"),
        "partner_family": ("Партнер/породица", "Колико сте задовољни својим партнером/породицом?"),
        "safety": ("Лична безбедност", "Колико сте задовољни својом личном безбедношћу?"),
        "medication": ("Лекови", "Колико сте задовољни својим лековима?"),
        "practical_help": (
            "Практична помоћ",
            "Колико сте задовољни практичном помоћи коју добијате?",
        ),
        "professionals": (
            "Састанци са стручњацима",
            "Колико сте задовољни консултацијама са стручњацима за ментално здравље?",
        ),
    },
    "labels": [
        "потпуно незадовољни",
        "веома незадовољни",
        "прилично незадовољни",
        "ни задовољни ни незадовољни",
        "прилично задовољни",
        "веома задовољни",
        "потпуно задовољни",
    ],
    "steps": {
        1: (
            "Разумевање",
            "Питајте зашто је пацијент дао ову оцену, а затим шта ипак функционише: "
            "зашто оцена није нижа? Питајте како се сада носи с тим и одајте му признање "
            "за то. Циљ је за сада разумети ситуацију, а не решавати је.",
            [
                "Зашто сте дали ову оцену?",
                "Шта ипак функционише? Зашто оцена није нижа?",
                "Како се тренутно носите с тим?",
            ],
        ),
        2: (
            "Поглед у будућност",
            "Помозите пацијенту да замисли бољу ситуацију. Нека то буде конкретно и "
            "везано за оно што би пацијент радио, изражено као присуство нечега, а не као "
            "одсуство проблема. Најмањи корак је најважнији.",
            [
                "Најбољи случај: шта би било другачије да је Ваша оцена 7?",
                "Најмањи корак: шта би оцену подигло за један бод?",
            ],
        ),
        3: (
            "Истраживање могућности",
            "Прикупите могућности са све три стране, а да их још не процењујете: шта може "
            "пацијент, шта клиничар и служба, а шта друге особе, као што су породица, "
            "пријатељи, неговатељи или особе са сличним искуством.",
            [
                "Шта Ви можете да урадите?",
                "Шта могу да урадим ја или служба?",
                "Шта могу да ураде други: породица, пријатељи, неговатељи, "
                "особе са сличним искуством?",
            ],
        ),
        4: (
            "Договор о активностима",
            "Договорите једну или више конкретних активности, уз сваку: ко ће је спровести "
            "и, ако је корисно, до када. Ако пацијент још није спреман, договорите да ће "
            "размислити о могућностима: и то је ваљан исход, који се проверава на следећем "
            "сусрету.",
            [
                "Шта ће се урадити и ко ће то урадити?",
                "До када?",
            ],
        ),
    },
}

SR_LATN = {
    "help_question": "Da li Vam je potrebno više pomoći u ovoj oblasti?",
    "domains": {
        "mental_health": ("Mentalno zdravlje", "Koliko ste zadovoljni svojim mentalnim zdravljem?"),
        "physical_health": ("Fizičko zdravlje", "Koliko ste zadovoljni svojim fizičkim zdravljem?"),
        "job": ("Radna situacija", "Koliko ste zadovoljni svojom radnom situacijom?"),
        "accommodation": ("Smeštaj", "Koliko ste zadovoljni svojim smeštajem?"),
        "leisure": (
            "Aktivnosti u slobodno vreme",
            "Koliko ste zadovoljni svojim aktivnostima u slobodno vreme?",
        ),
        "friendships": ("Prijateljstva", "Koliko ste zadovoljni svojim prijateljstvima?"),
        "partner_family": ("Partner/porodica", "Koliko ste zadovoljni svojim partnerom/porodicom?"),
        "safety": ("Lična bezbednost", "Koliko ste zadovoljni svojom ličnom bezbednošću?"),
        "medication": ("Lekovi", "Koliko ste zadovoljni svojim lekovima?"),
        "practical_help": (
            "Praktična pomoć",
            "Koliko ste zadovoljni praktičnom pomoći koju dobijate?",
        ),
        "professionals": (
            "Sastanci sa stručnjacima",
            "Koliko ste zadovoljni konsultacijama sa stručnjacima za mentalno zdravlje?",
        ),
    },
    "labels": [
        "potpuno nezadovoljni",
        "veoma nezadovoljni",
        "prilično nezadovoljni",
        "ni zadovoljni ni nezadovoljni",
        "prilično zadovoljni",
        "veoma zadovoljni",
        "potpuno zadovoljni",
    ],
    "steps": {
        1: (
            "Razumevanje",
            "Pitajte zašto je pacijent dao ovu ocenu, a zatim šta ipak funkcioniše: "
            "zašto ocena nije niža? Pitajte kako se sada nosi s tim i odajte mu priznanje "
            "za to. Cilj je za sada razumeti situaciju, a ne rešavati je.",
            [
                "Zašto ste dali ovu ocenu?",
                "Šta ipak funkcioniše? Zašto ocena nije niža?",
                "Kako se trenutno nosite s tim?",
            ],
        ),
        2: (
            "Pogled u budućnost",
            "Pomozite pacijentu da zamisli bolju situaciju. Neka to bude konkretno i "
            "vezano za ono što bi pacijent radio, izraženo kao prisustvo nečega, a ne kao "
            "odsustvo problema. Najmanji korak je najvažniji.",
            [
                "Najbolji slučaj: šta bi bilo drugačije da je Vaša ocena 7?",
                "Najmanji korak: šta bi ocenu podiglo za jedan bod?",
            ],
        ),
        3: (
            "Istraživanje mogućnosti",
            "Prikupite mogućnosti sa sve tri strane, a da ih još ne procenjujete: šta može "
            "pacijent, šta kliničar i služba, a šta druge osobe, kao što su porodica, "
            "prijatelji, negovatelji ili osobe sa sličnim iskustvom.",
            [
                "Šta Vi možete da uradite?",
                "Šta mogu da uradim ja ili služba?",
                "Šta mogu da urade drugi: porodica, prijatelji, negovatelji, "
                "osobe sa sličnim iskustvom?",
            ],
        ),
        4: (
            "Dogovor o aktivnostima",
            "Dogovorite jednu ili više konkretnih aktivnosti, uz svaku: ko će je sprovesti "
            "i, ako je korisno, do kada. Ako pacijent još nije spreman, dogovorite da će "
            "razmisliti o mogućnostima: i to je valjan ishod, koji se proverava na sledećem "
            "susretu.",
            [
                "Šta će se uraditi i ko će to uraditi?",
                "Do kada?",
            ],
        ),
    },
}


BS = {
    "help_question": "Da li Vam je potrebno više pomoći u ovoj oblasti?",
    "domains": {
        "mental_health": ("Mentalno zdravlje", "Koliko ste zadovoljni svojim mentalnim zdravljem?"),
        "physical_health": ("Fizičko zdravlje", "Koliko ste zadovoljni svojim fizičkim zdravljem?"),
        "job": ("Radna situacija", "Koliko ste zadovoljni svojom radnom situacijom?"),
        "accommodation": ("Smještaj", "Koliko ste zadovoljni svojim smještajem?"),
        "leisure": (
            "Aktivnosti u slobodno vrijeme",
            "Koliko ste zadovoljni svojim aktivnostima u slobodno vrijeme?",
        ),
        "friendships": ("Prijateljstva", "Koliko ste zadovoljni svojim prijateljstvima?"),
        "partner_family": ("Partner/porodica", "Koliko ste zadovoljni svojim partnerom/porodicom?"),
        "safety": ("Lična sigurnost", "Koliko ste zadovoljni svojom ličnom sigurnošću?"),
        "medication": ("Lijekovi", "Koliko ste zadovoljni svojim lijekovima?"),
        "practical_help": (
            "Praktična pomoć",
            "Koliko ste zadovoljni praktičnom pomoći koju dobijate?",
        ),
        "professionals": (
            "Sastanci sa stručnjacima",
            "Koliko ste zadovoljni konsultacijama sa stručnjacima za mentalno zdravlje?",
        ),
    },
    "labels": [
        "potpuno nezadovoljni",
        "veoma nezadovoljni",
        "prilično nezadovoljni",
        "ni zadovoljni ni nezadovoljni",
        "prilično zadovoljni",
        "veoma zadovoljni",
        "potpuno zadovoljni",
    ],
    "steps": {
        1: (
            "Razumijevanje",
            "Pitajte zašto je pacijent dao ovu ocjenu, a zatim šta ipak funkcioniše: "
            "zašto ocjena nije niža? Pitajte kako se sada nosi s tim i odajte mu priznanje "
            "za to. Cilj je za sada razumjeti situaciju, a ne rješavati je.",
            [
                "Zašto ste dali ovu ocjenu?",
                "Šta ipak funkcioniše? Zašto ocjena nije niža?",
                "Kako se trenutno nosite s tim?",
            ],
        ),
        2: (
            "Pogled u budućnost",
            "Pomozite pacijentu da zamisli bolju situaciju. Neka to bude konkretno i "
            "vezano za ono što bi pacijent radio, izraženo kao prisustvo nečega, a ne kao "
            "odsustvo problema. Najmanji korak je najvažniji.",
            [
                "Najbolji slučaj: šta bi bilo drugačije da je Vaša ocjena 7?",
                "Najmanji korak: šta bi ocjenu podiglo za jedan bod?",
            ],
        ),
        3: (
            "Istraživanje mogućnosti",
            "Prikupite mogućnosti sa sve tri strane, a da ih još ne procjenjujete: šta može "
            "pacijent, šta kliničar i služba, a šta druge osobe, kao što su porodica, "
            "prijatelji, njegovatelji ili osobe sa sličnim iskustvom.",
            [
                "Šta Vi možete uraditi?",
                "Šta mogu uraditi ja ili služba?",
                "Šta mogu uraditi drugi: porodica, prijatelji, njegovatelji, "
                "osobe sa sličnim iskustvom?",
            ],
        ),
        4: (
            "Dogovor o aktivnostima",
            "Dogovorite jednu ili više konkretnih aktivnosti, uz svaku: ko će je provesti "
            "i, ako je korisno, do kada. Ako pacijent još nije spreman, dogovorite da će "
            "razmisliti o mogućnostima: i to je valjan ishod, koji se provjerava na "
            "sljedećem susretu.",
            [
                "Šta će se uraditi i ko će to uraditi?",
                "Do kada?",
            ],
        ),
    },
}

HR = {
    "help_question": "Trebate li više pomoći u ovom području?",
    "domains": {
        "mental_health": ("Mentalno zdravlje", "Koliko ste zadovoljni svojim mentalnim zdravljem?"),
        "physical_health": (
            "Tjelesno zdravlje",
            "Koliko ste zadovoljni svojim tjelesnim zdravljem?",
        ),
        "job": ("Radna situacija", "Koliko ste zadovoljni svojom radnom situacijom?"),
        "accommodation": ("Smještaj", "Koliko ste zadovoljni svojim smještajem?"),
        "leisure": (
            "Aktivnosti u slobodno vrijeme",
            "Koliko ste zadovoljni svojim aktivnostima u slobodno vrijeme?",
        ),
        "friendships": ("Prijateljstva", "Koliko ste zadovoljni svojim prijateljstvima?"),
        "partner_family": ("Partner/obitelj", "Koliko ste zadovoljni svojim partnerom/obitelji?"),
        "safety": ("Osobna sigurnost", "Koliko ste zadovoljni svojom osobnom sigurnošću?"),
        "medication": ("Lijekovi", "Koliko ste zadovoljni svojim lijekovima?"),
        "practical_help": (
            "Praktična pomoć",
            "Koliko ste zadovoljni praktičnom pomoći koju dobivate?",
        ),
        "professionals": (
            "Susreti sa stručnjacima",
            "Koliko ste zadovoljni konzultacijama sa stručnjacima za mentalno zdravlje?",
        ),
    },
    "labels": [
        "potpuno nezadovoljni",
        "vrlo nezadovoljni",
        "prilično nezadovoljni",
        "ni zadovoljni ni nezadovoljni",
        "prilično zadovoljni",
        "vrlo zadovoljni",
        "potpuno zadovoljni",
    ],
    "steps": {
        1: (
            "Razumijevanje",
            "Pitajte zašto je pacijent dao ovu ocjenu, a zatim što ipak funkcionira: "
            "zašto ocjena nije niža? Pitajte kako se sada nosi s time i odajte mu "
            "priznanje za to. Cilj je za sada razumjeti situaciju, a ne rješavati je.",
            [
                "Zašto ste dali ovu ocjenu?",
                "Što ipak funkcionira? Zašto ocjena nije niža?",
                "Kako se trenutačno nosite s time?",
            ],
        ),
        2: (
            "Pogled u budućnost",
            "Pomozite pacijentu da zamisli bolju situaciju. Neka to bude konkretno i "
            "vezano uz ono što bi pacijent radio, izraženo kao prisutnost nečega, a ne kao "
            "odsutnost problema. Najmanji korak je najvažniji.",
            [
                "Najbolji slučaj: što bi bilo drukčije da je Vaša ocjena 7?",
                "Najmanji korak: što bi ocjenu podiglo za jedan bod?",
            ],
        ),
        3: (
            "Istraživanje mogućnosti",
            "Prikupite mogućnosti sa sve tri strane, a da ih još ne procjenjujete: što može "
            "pacijent, što kliničar i služba, a što druge osobe, poput obitelji, "
            "prijatelja, njegovatelja ili osoba sa sličnim iskustvom.",
            [
                "Što Vi možete učiniti?",
                "Što mogu učiniti ja ili služba?",
                "Što mogu učiniti drugi: obitelj, prijatelji, njegovatelji, "
                "osobe sa sličnim iskustvom?",
            ],
        ),
        4: (
            "Dogovor o aktivnostima",
            "Dogovorite jednu ili više konkretnih aktivnosti, uz svaku: tko će je provesti "
            "i, ako je korisno, do kada. Ako pacijent još nije spreman, dogovorite da će "
            "razmisliti o mogućnostima: i to je valjan ishod, koji se provjerava na "
            "sljedećem susretu.",
            [
                "Što će se učiniti i tko će to učiniti?",
                "Do kada?",
            ],
        ),
    },
}

CNR = {
    "help_question": "Da li Vam je potrebno više pomoći u ovoj oblasti?",
    "domains": {
        "mental_health": ("Mentalno zdravlje", "Koliko ste zadovoljni svojim mentalnim zdravljem?"),
        "physical_health": ("Fizičko zdravlje", "Koliko ste zadovoljni svojim fizičkim zdravljem?"),
        "job": ("Radna situacija", "Koliko ste zadovoljni svojom radnom situacijom?"),
        "accommodation": ("Smještaj", "Koliko ste zadovoljni svojim smještajem?"),
        "leisure": (
            "Aktivnosti u slobodno vrijeme",
            "Koliko ste zadovoljni svojim aktivnostima u slobodno vrijeme?",
        ),
        "friendships": ("Prijateljstva", "Koliko ste zadovoljni svojim prijateljstvima?"),
        "partner_family": ("Partner/porodica", "Koliko ste zadovoljni svojim partnerom/porodicom?"),
        "safety": ("Lična bezbjednost", "Koliko ste zadovoljni svojom ličnom bezbjednošću?"),
        "medication": ("Lijekovi", "Koliko ste zadovoljni svojim lijekovima?"),
        "practical_help": (
            "Praktična pomoć",
            "Koliko ste zadovoljni praktičnom pomoći koju dobijate?",
        ),
        "professionals": (
            "Sastanci sa stručnjacima",
            "Koliko ste zadovoljni konsultacijama sa stručnjacima za mentalno zdravlje?",
        ),
    },
    "labels": [
        "potpuno nezadovoljni",
        "veoma nezadovoljni",
        "prilično nezadovoljni",
        "ni zadovoljni ni nezadovoljni",
        "prilično zadovoljni",
        "veoma zadovoljni",
        "potpuno zadovoljni",
    ],
    "steps": {
        1: (
            "Razumijevanje",
            "Pitajte zašto je pacijent dao ovu ocjenu, a zatim šta ipak funkcioniše: "
            "zašto ocjena nije niža? Pitajte kako se sada nosi s tim i odajte mu priznanje "
            "za to. Cilj je za sada razumjeti situaciju, a ne rješavati je.",
            [
                "Zašto ste dali ovu ocjenu?",
                "Šta ipak funkcioniše? Zašto ocjena nije niža?",
                "Kako se trenutno nosite s tim?",
            ],
        ),
        2: (
            "Pogled u budućnost",
            "Pomozite pacijentu da zamisli bolju situaciju. Neka to bude konkretno i "
            "vezano za ono što bi pacijent radio, izraženo kao prisustvo nečega, a ne kao "
            "odsustvo problema. Najmanji korak je najvažniji.",
            [
                "Najbolji slučaj: šta bi bilo drugačije da je Vaša ocjena 7?",
                "Najmanji korak: šta bi ocjenu podiglo za jedan bod?",
            ],
        ),
        3: (
            "Istraživanje mogućnosti",
            "Prikupite mogućnosti sa sve tri strane, a da ih još ne procjenjujete: šta može "
            "pacijent, šta kliničar i služba, a šta druge osobe, kao što su porodica, "
            "prijatelji, njegovatelji ili osobe sa sličnim iskustvom.",
            [
                "Šta Vi možete da uradite?",
                "Šta mogu da uradim ja ili služba?",
                "Šta mogu da urade drugi: porodica, prijatelji, njegovatelji, "
                "osobe sa sličnim iskustvom?",
            ],
        ),
        4: (
            "Dogovor o aktivnostima",
            "Dogovorite jednu ili više konkretnih aktivnosti, uz svaku: ko će je sprovesti "
            "i, ako je korisno, do kada. Ako pacijent još nije spreman, dogovorite da će "
            "razmisliti o mogućnostima: i to je valjan ishod, koji se provjerava na "
            "sljedećem susretu.",
            [
                "Šta će se uraditi i ko će to uraditi?",
                "Do kada?",
            ],
        ),
    },
}

MK = {
    "help_question": "Дали Ви треба повеќе помош во оваа област?",
    "domains": {
        "mental_health": ("Ментално здравје", "Колку сте задоволни од Вашето ментално здравје?"),
        "physical_health": ("Физичко здравје", "Колку сте задоволни од Вашето физичко здравје?"),
        "job": ("Работна ситуација", "Колку сте задоволни од Вашата работна ситуација?"),
        "accommodation": ("Сместување", "Колку сте задоволни од Вашето сместување?"),
        "leisure": (
            "Активности во слободното време",
            "Колку сте задоволни од Вашите активности во слободното време?",
        ),
        "friendships": ("Пријателства", "Колку сте задоволни од Вашите пријателства?"),
        "partner_family": (
            "Партнер/семејство",
            "Колку сте задоволни од Вашиот партнер/Вашето семејство?",
        ),
        "safety": ("Лична безбедност", "Колку сте задоволни од Вашата лична безбедност?"),
        "medication": ("Лекови", "Колку сте задоволни од Вашите лекови?"),
        "practical_help": (
            "Практична помош",
            "Колку сте задоволни од практичната помош што ја добивате?",
        ),
        "professionals": (
            "Средби со стручни лица",
            "Колку сте задоволни од консултациите со стручните лица за ментално здравје?",
        ),
    },
    "labels": [
        "целосно незадоволни",
        "многу незадоволни",
        "прилично незадоволни",
        "ниту задоволни ниту незадоволни",
        "прилично задоволни",
        "многу задоволни",
        "целосно задоволни",
    ],
    "steps": {
        1: (
            "Разбирање",
            "Прашајте зошто пациентот ја дал оваа оцена, а потоа што сепак функционира: "
            "зошто оцената не е пониска? Прашајте како сега се справува со тоа и оддадете "
            "му признание за тоа. Целта засега е да се разбере ситуацијата, а не да се "
            "решава.",
            [
                "Зошто ја дадовте оваа оцена?",
                "Што сепак функционира? Зошто оцената не е пониска?",
                "Како моментално се справувате со тоа?",
            ],
        ),
        2: (
            "Поглед кон иднината",
            "Помогнете му на пациентот да замисли подобра ситуација. Нека биде конкретно и "
            "поврзано со она што пациентот би го правел, изразено како присуство на нешто, "
            "а не како отсуство на проблем. Најмалиот чекор е најважен.",
            [
                "Најдобар случај: што би било поинаку ако Вашата оцена беше 7?",
                "Најмал чекор: што би ја зголемило оцената за еден поен?",
            ],
        ),
        3: (
            "Истражување на можностите",
            "Соберете можности од сите три страни, без да ги оценувате засега: што може "
            "пациентот, што клиничарот и службата, а што другите луѓе, како семејството, "
            "пријателите, негувателите или лицата со слично искуство.",
            [
                "Што можете Вие да направите?",
                "Што можам да направам јас или службата?",
                "Што можат да направат другите: семејството, пријателите, негувателите, "
                "лицата со слично искуство?",
            ],
        ),
        4: (
            "Договор за активностите",
            "Договорете една или повеќе конкретни активности, за секоја: кој ќе ја спроведе "
            "и, ако е корисно, до кога. Ако пациентот сè уште не е подготвен, договорете "
            "дека ќе размисли за можностите: и тоа е валиден исход, кој се проверува на "
            "следната средба.",
            [
                "Што ќе се направи и кој ќе го направи тоа?",
                "До кога?",
            ],
        ),
    },
}

SQ = {
    "help_question": "A keni nevojë për më shumë ndihmë në këtë fushë?",
    "domains": {
        "mental_health": ("Shëndeti mendor", "Sa të kënaqur jeni me shëndetin tuaj mendor?"),
        "physical_health": ("Shëndeti fizik", "Sa të kënaqur jeni me shëndetin tuaj fizik?"),
        "job": ("Situata e punës", "Sa të kënaqur jeni me situatën tuaj të punës?"),
        "accommodation": ("Strehimi", "Sa të kënaqur jeni me strehimin tuaj?"),
        "leisure": (
            "Aktivitetet e kohës së lirë",
            "Sa të kënaqur jeni me aktivitetet tuaja të kohës së lirë?",
        ),
        "friendships": ("Miqësitë", "Sa të kënaqur jeni me miqësitë tuaja?"),
        "partner_family": ("Partneri/familja", "Sa të kënaqur jeni me partnerin/familjen tuaj?"),
        "safety": ("Siguria personale", "Sa të kënaqur jeni me sigurinë tuaj personale?"),
        "medication": ("Barnat", "Sa të kënaqur jeni me barnat që merrni?"),
        "practical_help": (
            "Ndihma praktike",
            "Sa të kënaqur jeni me ndihmën praktike që merrni?",
        ),
        "professionals": (
            "Takimet me profesionistët",
            "Sa të kënaqur jeni me konsultimet me profesionistët e shëndetit mendor?",
        ),
    },
    "labels": [
        "plotësisht të pakënaqur",
        "shumë të pakënaqur",
        "mjaft të pakënaqur",
        "as të kënaqur, as të pakënaqur",
        "mjaft të kënaqur",
        "shumë të kënaqur",
        "plotësisht të kënaqur",
    ],
    "steps": {
        1: (
            "Të kuptuarit",
            "Pyesni pse pacienti e dha këtë vlerësim, pastaj çfarë funksionon megjithatë: "
            "pse vlerësimi nuk është më i ulët? Pyesni si po përballet tani me situatën "
            "dhe çmojeni përpjekjen e tij. Qëllimi tani është ta kuptoni situatën, jo ta "
            "zgjidhni ende.",
            [
                "Pse e dhatë këtë vlerësim?",
                "Çfarë funksionon megjithatë? Pse vlerësimi nuk është më i ulët?",
                "Si po përballeni me të aktualisht?",
            ],
        ),
        2: (
            "Vështrimi përpara",
            "Ndihmojeni pacientin të përfytyrojë një situatë më të mirë. Përshkrimi le të "
            "jetë konkret dhe i lidhur me atë që pacienti do të bënte, i shprehur si prani "
            "e diçkaje dhe jo si mungesë e një problemi. Hapi më i vogël është më i "
            "rëndësishmi.",
            [
                "Rasti më i mirë: çfarë do të ishte ndryshe nëse vlerësimi juaj do të ishte 7?",
                "Hapi më i vogël: çfarë do ta rriste vlerësimin me një pikë?",
            ],
        ),
        3: (
            "Eksplorimi i mundësive",
            "Mblidhni mundësi nga të tria anët, pa i gjykuar ende: pacienti, klinicisti "
            "dhe shërbimi, si dhe njerëz të tjerë, si familja, miqtë, kujdestarët ose "
            "personat me përvojë të ngjashme.",
            [
                "Çfarë mund të bëni ju?",
                "Çfarë mund të bëj unë, ose shërbimi?",
                "Çfarë mund të bëjnë të tjerët: familja, miqtë, kujdestarët, "
                "personat me përvojë të ngjashme?",
            ],
        ),
        4: (
            "Marrëveshja për veprimet",
            "Bini dakord për një ose më shumë veprime konkrete, secili me personin që do ta "
            "kryejë dhe, nëse është e dobishme, me afatin. Nëse pacienti nuk është ende "
            "gati, bini dakord që ai do të mendojë për mundësitë: edhe ky është një "
            "rezultat i vlefshëm, që shqyrtohet në takimin e ardhshëm.",
            [
                "Çfarë do të bëhet dhe nga kush?",
                "Deri kur?",
            ],
        ),
    },
}

# Language code (as in settings.LANGUAGES) -> wording. The column suffix is the
# code with "-" replaced by "_", as modeltranslation builds it ("sr-latn" -> _sr_latn).
WORDING = {
    "sr": SR,
    "sr-latn": SR_LATN,
    "bs": BS,
    "hr": HR,
    "cnr": CNR,
    "mk": MK,
    "sq": SQ,
}

VERSION = 1
DRAFT_SOURCE = "DIALOG+ team draft translation"
ENGLISH_SOURCE = "English reference wording (docs/dialog.md)"


def column(field, language):
    return f"{field}_{language.replace('-', '_')}"


def save(obj, fields):
    obj.save(update_fields=[column(field, language) for field in fields for language in WORDING])


def translate(apps, schema_editor):
    ScaleVersion = apps.get_model("scale", "ScaleVersion")
    Domain = apps.get_model("scale", "Domain")
    RatingLabel = apps.get_model("scale", "RatingLabel")
    Step = apps.get_model("scale", "Step")
    StepPrompt = apps.get_model("scale", "StepPrompt")
    WordingStatus = apps.get_model("scale", "WordingStatus")

    version = ScaleVersion.objects.filter(number=VERSION).first()
    if version is None:
        return
    domains = list(Domain.objects.filter(version=version))
    labels = list(RatingLabel.objects.filter(version=version))
    steps = list(Step.objects.filter(version=version))
    prompts = list(StepPrompt.objects.filter(step__version=version).select_related("step"))

    for language, wording in WORDING.items():
        setattr(version, column("help_question", language), wording["help_question"])
        for domain in domains:
            short_name, question = wording["domains"][domain.key]
            setattr(domain, column("short_name", language), short_name)
            setattr(domain, column("question", language), question)
        for label in labels:
            setattr(label, column("text", language), wording["labels"][label.value - 1])
        for step in steps:
            title, guidance, _prompts = wording["steps"][step.number]
            setattr(step, column("title", language), title)
            setattr(step, column("guidance", language), guidance)
        for prompt in prompts:
            texts = wording["steps"][prompt.step.number][2]
            setattr(prompt, column("text", language), texts[prompt.position - 1])

    save(version, ["help_question"])
    for domain in domains:
        save(domain, ["short_name", "question"])
    for label in labels:
        save(label, ["text"])
    for step in steps:
        save(step, ["title", "guidance"])
    for prompt in prompts:
        save(prompt, ["text"])

    for language in WORDING:
        WordingStatus.objects.update_or_create(
            version=version,
            language=language,
            defaults={"status": "draft", "source": DRAFT_SOURCE},
        )
    WordingStatus.objects.update_or_create(
        version=version,
        language="en",
        defaults={"status": "validated", "source": ENGLISH_SOURCE},
    )


def untranslate(apps, schema_editor):
    ScaleVersion = apps.get_model("scale", "ScaleVersion")
    blank = {
        "ScaleVersion": (["help_question"], "number"),
        "Domain": (["short_name", "question"], "version__number"),
        "RatingLabel": (["text"], "version__number"),
        "Step": (["title", "guidance"], "version__number"),
        "StepPrompt": (["text"], "step__version__number"),
    }
    for model, (fields, lookup) in blank.items():
        columns = {column(field, language): None for field in fields for language in WORDING}
        apps.get_model("scale", model).objects.filter(**{lookup: VERSION}).update(**columns)
    apps.get_model("scale", "WordingStatus").objects.filter(
        version__in=ScaleVersion.objects.filter(number=VERSION),
        language__in=[*WORDING, "en"],
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("scale", "0003_wording_status")]

    operations = [migrations.RunPython(translate, untranslate)]
