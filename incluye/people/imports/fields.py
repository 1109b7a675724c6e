"""What an import can fill, as data: each field with its labels, the column names and words it is
recognised by, its HXL hashtag, the type of question in our own XLSForm and its choices (each
accepted by its code, its Spanish or English label and common ways of writing it).

A second kind of list (e.g. refugees arriving in a destination country) is another `ImportKind`."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from incluye.people.models import (
    AccompaniedBy,
    ConsentMethod,
    Education,
    Language,
    Population,
    Relationship,
    ReturnedFrom,
    ReturnMode,
    Sex,
    StatusKind,
    Vulnerability,
)

TEXT, DATE, INTEGER, CHOICE, MULTIPLE, YES_NO = "text", "date", "integer", "choice", "multiple", "yes_no"
DEPARTMENT, MUNICIPALITY, DOCUMENT_TYPE = "department", "municipality", "document_type"
NONE = ""  # the code of "none of them" in a multiple choice ("Ninguna")


@dataclass(frozen=True)
class Option:
    code: str
    label: object  # a lazy translation
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportField:
    name: str
    label: object
    kind: str = TEXT
    aliases: tuple[str, ...] = ()  # whole column names it is known by (compared folded)
    keywords: tuple[tuple[str, ...], ...] = ()  # words that, all present in a column name, name it
    options: tuple[Option, ...] = ()
    hxl: str = ""
    required: bool = False
    hint: object = ""
    group: str = ""  # the group of our own XLSForm it sits in

    @property
    def is_choice(self) -> bool:
        return self.kind in (CHOICE, MULTIPLE, YES_NO)


@dataclass(frozen=True)
class ImportKind:
    name: str
    label: object
    fields: tuple[ImportField, ...]
    member_fields: tuple[ImportField, ...] = ()
    member_label: object = ""
    groups: dict = field(default_factory=dict)

    def get(self, name: str) -> ImportField | None:
        return self.by_name().get(name)

    def by_name(self) -> dict[str, ImportField]:
        return {f.name: f for f in (*self.fields, *self.member_fields)}


def _options(choices, aliases: dict[str, tuple[str, ...]]) -> tuple[Option, ...]:
    return tuple(Option(code, label, aliases.get(code, ())) for code, label in choices)


YES_NO_OPTIONS = (
    Option("1", _("Yes"), ("si", "s", "yes", "y", "1", "true", "verdadero", "x", "acepta", "si acepta")),
    Option("0", _("No"), ("no", "n", "0", "false", "falso", "no acepta")),
)
SEX_OPTIONS = _options(
    Sex.choices,
    {
        "F": ("f", "femenino", "mujer", "female", "woman", "fem"),
        "M": ("m", "h", "masculino", "hombre", "male", "man", "masc"),
        "X": ("x", "no registrado", "not recorded", "sin dato"),
    },
)
NEEDS_OPTIONS = (
    *_options(
        Vulnerability.choices,
        {
            "medical": (
                "medica",
                "medico",
                "salud",
                "atencion medica",
                "atencion medica urgente",
                "necesita atencion medica",
                "urgencia medica",
                "emergencia medica",
                "medical care",
                "health",
            ),
            "unaccompanied_minor": (
                "nna",
                "nna no acompanado",
                "nna no acompanada",
                "menor no acompanado",
                "menor no acompanada",
                "nino nina o adolescente no acompanado",
                "nina nino o adolescente no acompanado",
                "nino no acompanado",
                "unaccompanied child",
            ),
            "protection": (
                "proteccion",
                "necesidad de proteccion",
                "necesita proteccion",
                "protection need",
            ),
            "family_unit": ("familia", "unidad familiar", "grupo familiar", "nucleo familiar", "family"),
            "disability": ("discapacidad", "persona con discapacidad", "con discapacidad", "disabled"),
            "indigenous": (
                "indigena",
                "pueblo indigena",
                "pertenece a un pueblo indigena",
                "persona indigena",
            ),
            "lgbtiq": ("lgbti", "lgbt", "lgbtiq", "persona lgbtiq", "persona lgbti", "diversidad sexual"),
            "pregnant": ("embarazada", "mujer embarazada", "embarazo", "pregnant woman"),
        },
    ),
    Option(
        NONE,
        _("None"),
        ("ninguna", "ninguno", "ninguna de las anteriores", "none", "nada", "sin necesidades", "no"),
    ),
)
RELATIONSHIP_OPTIONS = _options(
    [c for c in Relationship.choices if c[0] != Relationship.HEAD],
    {
        "spouse": (
            "conyuge",
            "pareja",
            "esposo",
            "esposa",
            "conyuge o pareja",
            "companero",
            "companera",
            "partner",
            "husband",
            "wife",
        ),
        "child": ("hijo", "hija", "hijo a", "hijos", "son", "daughter", "child"),
        "parent": ("padre", "madre", "papa", "mama", "father", "mother", "parent"),
        "sibling": ("hermano", "hermana", "hermano a", "brother", "sister", "sibling"),
        "other": ("otro", "otra", "otro familiar", "otra persona", "other"),
    },
)
MODE_OPTIONS = _options(
    ReturnMode.choices,
    {
        "air": ("aereo", "aerea", "avion", "via aerea", "plane", "flight"),
        "land": ("terrestre", "via terrestre", "bus", "autobus"),
        "sea": ("maritimo", "maritima", "via maritima", "barco"),
    },
)
RETURNED_FROM_OPTIONS = _options(
    ReturnedFrom.choices,
    {
        "US": ("estados unidos", "eeuu", "ee uu", "eua", "usa", "us", "united states"),
        "MX": ("mexico", "mx"),
        "other": ("otro", "otro pais", "other"),
    },
)
EDUCATION_OPTIONS = _options(
    Education.choices,
    {
        "none": ("ninguna", "sin escolaridad", "no estudio"),
        "primary_incomplete": ("primaria incompleta",),
        "primary": ("primaria", "primaria completa"),
        "secondary_incomplete": ("secundaria incompleta", "basicos incompletos"),
        "secondary": ("secundaria", "secundaria completa", "diversificado", "bachillerato"),
        "technical": ("tecnico", "tecnica", "vocacional"),
        "university": ("universidad", "universitaria", "universitario"),
        "unknown": ("no registrado", "no sabe"),
    },
)
LANGUAGE_OPTIONS = _options(
    Language.choices,
    {
        "es": ("espanol", "castellano"),
        "en": ("ingles",),
        "quc": ("kiche", "k iche", "quiche"),
        "kek": ("qeqchi", "q eqchi", "kekchi"),
        "cak": ("cakchiquel",),
        "kjb": ("qanjobal", "q anjob al", "kanjobal"),
        "miq": ("misquito", "miskitu"),
        "ppl": ("nahuat", "nahuatl", "pipil"),
        "gym": ("ngabe", "ngobe", "guaymi"),
        "fr": ("frances", "french"),
        "ht": ("kreyol", "kreyol ayisyen", "creole haitiano", "haitian creole"),
        "pt": ("portugues", "portuguese"),
        "other": ("otro", "otra"),
    },
)
CONSENT_METHOD_OPTIONS = _options(
    ConsentMethod.choices,
    {
        "signed_form": ("firmado", "formulario firmado", "firma"),
        "verbal_witness": ("verbal", "verbal con testigo"),
        "digital": ("digital",),
    },
)

ARRIVALS = ImportKind(
    name="arrivals",
    label=_("Arrivals (returned migrants)"),
    groups={"person": _("Personal data"), "arrival": _("Arrival"), "consent": _("Consent")},
    fields=(
        ImportField(
            "given_names",
            _("Given names"),
            TEXT,
            ("nombres", "nombre", "given names", "first name", "first names"),
            (("nombres",),),
            hxl="#affected+name+given",
            required=True,
            group="person",
        ),
        ImportField(
            "first_surname",
            _("First surname"),
            TEXT,
            (
                "primer apellido",
                "apellido 1",
                "apellido1",
                "apellido",
                "apellidos",
                "apellido paterno",
                "first surname",
                "last name",
                "surname",
            ),
            (("primer", "apellido"), ("apellido", "paterno")),
            hxl="#affected+name+surname+first",
            group="person",
        ),
        ImportField(
            "second_surname",
            _("Second surname"),
            TEXT,
            ("segundo apellido", "apellido 2", "apellido2", "apellido materno", "second surname"),
            (("segundo", "apellido"), ("apellido", "materno")),
            hxl="#affected+name+surname+second",
            group="person",
        ),
        ImportField(
            "preferred_name",
            _("Preferred name"),
            TEXT,
            ("nombre preferido", "preferred name"),
            (("nombre", "preferido"), ("preferred",)),
            group="person",
        ),
        ImportField(
            "sex",
            _("Sex"),
            CHOICE,
            ("sexo", "genero", "sex", "gender"),
            (("sexo",), ("genero",)),
            SEX_OPTIONS,
            hxl="#affected+sex",
            group="person",
        ),
        ImportField(
            "birth_date",
            _("Birth date"),
            DATE,
            ("fecha de nacimiento", "fecha nacimiento", "nacimiento", "birth date", "date of birth", "dob"),
            (("fecha", "nacimiento"), ("nacimiento",), ("fecha", "nac"), ("birth",)),
            hxl="#date+birth",
            group="person",
        ),
        ImportField(
            "document_type",
            _("Identity document"),
            DOCUMENT_TYPE,
            ("tipo de documento", "tipo documento", "document type"),
            (("tipo", "documento"),),
            group="person",
        ),
        ImportField(
            "document_number",
            _("Document number"),
            TEXT,
            (
                "numero de documento",
                "numero documento",
                "documento",
                "no documento",
                "document number",
                "id number",
                "numero de identidad",
                "dpi",
                "cui",
                "dui",
                "dni",
                "cedula",
                "pasaporte",
            ),
            (
                ("dpi",),
                ("cui",),
                ("dui",),
                ("dni",),
                ("cedula",),
                ("numero", "documento"),
                ("numero", "identidad"),
                ("pasaporte",),
            ),
            hxl="#affected+id",
            group="person",
        ),
        ImportField(
            "phone",
            _("Phone"),
            TEXT,
            ("telefono", "celular", "movil", "phone", "tel", "whatsapp", "telefono de contacto"),
            (("telefono",), ("celular",), ("phone",), ("whatsapp",), ("movil",)),
            hxl="#contact+phone",
            group="person",
        ),
        ImportField(
            "languages",
            _("Languages"),
            MULTIPLE,
            ("idiomas", "idioma", "lenguas", "languages"),
            (("idiomas",), ("idioma",), ("lenguas",), ("languages",)),
            LANGUAGE_OPTIONS,
            group="person",
        ),
        ImportField(
            "preferred_language",
            _("Language the person prefers to be spoken to in"),
            CHOICE,
            ("idioma preferido", "idioma de preferencia", "lengua preferida", "preferred language"),
            (("idioma", "prefer"), ("lengua", "prefer"), ("preferred", "language")),
            LANGUAGE_OPTIONS,
            group="person",
        ),
        ImportField(
            "education",
            _("Education"),
            CHOICE,
            ("escolaridad", "educacion", "nivel educativo", "education"),
            (("escolaridad",), ("educacion",), ("educativo",), ("education",)),
            EDUCATION_OPTIONS,
            group="person",
        ),
        ImportField(
            "arrived_on",
            _("Arrival date"),
            DATE,
            ("fecha de llegada", "fecha llegada", "fecha de retorno", "fecha de arribo", "arrival date"),
            (("fecha", "llegada"), ("fecha", "retorno"), ("fecha", "arribo"), ("arrival", "date")),
            hxl="#date+arrival",
            group="arrival",
        ),
        ImportField(
            "department",
            _("Department"),
            DEPARTMENT,
            ("departamento", "provincia", "department", "province"),
            (("departamento",), ("provincia",), ("department",)),
            hxl="#adm1+name",
            group="arrival",
        ),
        ImportField(
            "residence",
            _("Municipality"),
            MUNICIPALITY,
            ("municipio", "municipio de residencia", "canton", "distrito", "municipality", "district"),
            (("municipio",), ("canton",), ("distrito",), ("municipality",)),
            hxl="#adm2+name",
            hint=_("Resolved within the department when the file has one."),
            group="arrival",
        ),
        ImportField(
            "household_size",
            _("Household size"),
            INTEGER,
            ("tamano del hogar", "personas en el hogar", "personas hogar", "household size"),
            (
                ("personas", "hogar"),
                ("tamano", "hogar"),
                ("miembros", "hogar"),
                ("integrantes", "hogar"),
                ("household", "size"),
            ),
            hxl="#affected+household+num",
            group="arrival",
        ),
        ImportField(
            "mode",
            _("Arrived by"),
            CHOICE,
            ("medio de retorno", "via de retorno", "arrived by", "mode"),
            (("via", "retorno"), ("medio", "retorno")),
            MODE_OPTIONS,
            group="arrival",
        ),
        ImportField(
            "returned_from",
            _("Returned from"),
            CHOICE,
            ("retornado desde", "pais de retorno", "returned from"),
            (("retornado", "desde"), ("pais", "retorno"), ("returned", "from")),
            RETURNED_FROM_OPTIONS,
            group="arrival",
        ),
        ImportField(
            "transport_reference",
            _("Flight or bus"),
            TEXT,
            ("vuelo", "bus", "flight", "numero de vuelo", "vuelo o bus"),
            (("vuelo",), ("flight",), ("bus",)),
            hxl="#transport+code",
            group="arrival",
        ),
        ImportField(
            "months_abroad",
            _("Months abroad"),
            INTEGER,
            ("meses en el extranjero", "meses fuera", "months abroad"),
            (("meses", "fuera"), ("meses", "extranjero"), ("months", "abroad")),
            group="arrival",
        ),
        ImportField(
            "needs",
            _("Urgent needs and vulnerabilities"),
            MULTIPLE,
            ("necesidades", "vulnerabilidades", "needs", "necesidades urgentes"),
            (("necesidades",), ("vulnerabilidades",), ("vulnerabilidad",), ("needs",)),
            NEEDS_OPTIONS,
            hxl="#affected+needs",
            group="arrival",
        ),
        ImportField(
            "consent_case_management",
            _("Agrees to case management"),
            YES_NO,
            ("consentimiento", "consentimiento gestion", "consent"),
            (("consentimiento",), ("acepta", "caso"), ("gestion", "caso"), ("consent",)),
            YES_NO_OPTIONS,
            group="consent",
        ),
        ImportField(
            "consent_alliance_sharing",
            _("Agrees that alliance members who serve them see their data"),
            YES_NO,
            ("compartir datos", "consentimiento compartir"),
            (("consentimiento", "compartir"), ("compartir",), ("alianza",), ("sharing",)),
            YES_NO_OPTIONS,
            group="consent",
        ),
        ImportField(
            "consent_method",
            _("Consent given by"),
            CHOICE,
            ("forma del consentimiento", "consent method"),
            (("forma", "consentimiento"), ("consent", "method")),
            CONSENT_METHOD_OPTIONS,
            group="consent",
        ),
        ImportField(
            "consent_witness",
            _("Witness"),
            TEXT,
            ("testigo", "witness"),
            (("testigo",), ("witness",)),
            group="consent",
        ),
    ),
    member_label=_("Family members who arrived with the person"),
    member_fields=(
        ImportField(
            "member_name",
            _("Full name"),
            TEXT,
            ("nombre completo", "nombre", "nombres", "name", "full name"),
            (("nombre",), ("nombres",), ("name",)),
            hxl="#affected+name",
            required=True,
        ),
        ImportField(
            "member_relationship",
            _("Relationship"),
            CHOICE,
            ("parentesco", "relacion", "relationship"),
            (("parentesco",), ("relacion",), ("relationship",)),
            RELATIONSHIP_OPTIONS,
        ),
        ImportField(
            "member_birth_date",
            _("Birth date"),
            DATE,
            ("fecha de nacimiento", "nacimiento", "birth date"),
            (("fecha", "nacimiento"), ("nacimiento",), ("fecha", "nac"), ("birth",)),
            hxl="#date+birth",
        ),
    ),
)
POPULATION_OPTIONS = _options(
    Population.choices,
    {
        "returnee": ("retornado", "retornada", "persona retornada", "deportado", "deportada", "returnee"),
        "refugee": ("refugiado", "refugiada", "persona refugiada", "refugee"),
        "asylum_seeker": (
            "solicitante",
            "solicitante de refugio",
            "solicitante de asilo",
            "solicitante de la condicion de refugiado",
            "asylum seeker",
        ),
        "other_migrant": ("migrante", "otra persona migrante", "otro migrante", "en transito", "migrant"),
    },
)
ACCOMPANIED_OPTIONS = _options(
    AccompaniedBy.choices,
    {
        "alone": ("solo", "sola", "sin compania", "alone"),
        "family": ("familia", "con familia", "con su familia", "family"),
        "children": ("con hijos", "con sus hijos", "con hijas e hijos", "children"),
        "others": ("con otras personas", "grupo", "others"),
        "unaccompanied_minor": ("nna no acompanado", "menor no acompanado", "menor no acompanada"),
    },
)
OTHER_STATUS_OPTIONS = _options(
    [
        (StatusKind.RESIDENT, StatusKind.RESIDENT.label),
        (StatusKind.IRREGULAR, StatusKind.IRREGULAR.label),
        (StatusKind.STATELESS, StatusKind.STATELESS.label),
    ],
    {
        "resident": ("residente", "residencia", "resident"),
        "irregular": ("irregular", "sin documentos", "indocumentado", "indocumentada"),
        "stateless": ("apatrida", "stateless"),
    },
)
RETURNEE_ONLY = ("returned_from", "months_abroad")
# A list of people arriving in the country served (a border post's list of asylum seekers, a
# shelter's register of migrants who stay): the same person, document and consent fields, without
# the return's, with where the person comes from and the status they declare. The list says whom
# it holds (its population); a column may say it row by row.
FOREIGN_ARRIVALS = ImportKind(
    name="foreign_arrivals",
    label=_("Arrivals of foreigners (asylum seekers, refugees, other migrants)"),
    groups={**ARRIVALS.groups, "status": _("Migration status")},
    fields=(
        *(f for f in ARRIVALS.fields if f.name not in RETURNEE_ONLY),
        ImportField(
            "population",
            _("Who arrives"),
            CHOICE,
            ("poblacion", "población", "tipo de persona", "perfil", "population"),
            (("poblacion",), ("perfil", "migratorio")),
            options=POPULATION_OPTIONS,
            hxl="#affected+type",
            group="status",
        ),
        ImportField(
            "nationality",
            _("Nationality"),
            TEXT,
            ("nacionalidad", "pais de nacionalidad", "nationality", "citizenship"),
            (("nacionalidad",),),
            hxl="#affected+nationality",
            required=True,
            hint=_("The country's name or its ISO code (VE, NI…)."),
            group="person",
        ),
        ImportField(
            "origin_country",
            _("Country of origin"),
            TEXT,
            ("pais de origen", "país de origen", "procedencia", "country of origin", "origin"),
            (("pais", "origen"), ("procedencia",)),
            hxl="#country+origin",
            group="arrival",
        ),
        ImportField(
            "border_point",
            _("Border point or place of arrival"),
            TEXT,
            ("puesto fronterizo", "frontera", "punto de ingreso", "lugar de llegada", "border point"),
            (("puesto", "fronterizo"), ("punto", "ingreso"), ("frontera",)),
            hxl="#loc+entry",
            group="arrival",
        ),
        ImportField(
            "accompanied_by",
            _("Accompanied by"),
            CHOICE,
            ("acompanado por", "acompañado por", "con quien viaja", "con quien llego", "accompanied by"),
            (("acompanad",), ("con", "quien")),
            options=ACCOMPANIED_OPTIONS,
            group="arrival",
        ),
        ImportField(
            "status_since",
            _("Date of the asylum application or of the recognition"),
            DATE,
            (
                "fecha de solicitud",
                "fecha de solicitud de refugio",
                "fecha de reconocimiento",
                "application date",
            ),
            (("fecha", "solicitud"), ("fecha", "reconocimiento")),
            hxl="#date+application",
            group="status",
        ),
        ImportField(
            "other_status",
            _("Migration status"),
            CHOICE,
            ("situacion migratoria", "estatus migratorio", "condicion migratoria", "migration status"),
            (("situacion", "migratoria"), ("estatus", "migratorio"), ("condicion", "migratoria")),
            options=OTHER_STATUS_OPTIONS,
            group="status",
        ),
        ImportField(
            "status_reference",
            _("File number of the application or resolution"),
            TEXT,
            ("expediente", "numero de expediente", "file number"),
            (("expediente",),),
            group="status",
        ),
        ImportField(
            "document_expires_on",
            _("The document expires on"),
            DATE,
            ("vencimiento", "fecha de vencimiento", "vence", "expiry date", "expires"),
            (("vencimiento",), ("vence",)),
            hxl="#date+expiry",
            group="person",
        ),
    ),
    member_fields=ARRIVALS.member_fields,
    member_label=ARRIVALS.member_label,
)
KINDS = {ARRIVALS.name: ARRIVALS, FOREIGN_ARRIVALS.name: FOREIGN_ARRIVALS}


def kind_of(population: str) -> ImportKind:
    """The list a manifest holds: returnees, or foreigners arriving (any other population)."""
    return ARRIVALS if population in ("", Population.RETURNEE) else FOREIGN_ARRIVALS
