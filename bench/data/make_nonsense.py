"""Made-up texts for the occupation coder's calibration sets (standard library only).

    python bench/data/make_nonsense.py tune 40      # rows for coder_tune.tsv
    python bench/data/make_nonsense.py heldout 40   # rows for coder_heldout.tsv
    python bench/data/make_nonsense.py kinds 12     # rows for coder_tune.tsv: 12 of each kind below

The two sets are made differently on purpose, so that a calibration fitted on one is tested on
nonsense it has not seen the like of: the tuning rows are Spanish-sounding pseudo-words (consonant
+ vowel syllables) and keyboard runs; the held-out rows are English- and Maya-sounding
pseudo-words (consonant clusters, glottal stops), random letters, and long runs of up to 5 000
characters. Each row is printed as `text<TAB>NONE<TAB>NONE<TAB>nonsense<TAB>generated`.

`kinds` (issue 18, seventh round) adds tuning nonsense of other kinds than Spanish-sounding, each
from its own generator with its own inventories (none of the held-out generator's lists is
reused): English-like pseudo-words, a syllable or a letter group repeated, runs along a keyboard
row, letters and digits together, one to three very short made-up words alone, everyday English
and Spanish words (no job, no place of work) changed by one or two letters, and emoji and
punctuation. Its rows carry the note "added (issue 18, seventh round): generated, <kind>".
"""

import random
import sys

SPANISH_ONSETS = ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "br", "tr", "pl"]
SPANISH_VOWELS = ["a", "e", "i", "o", "u", "ia", "ue"]
ENGLISH_ONSETS = ["sk", "str", "gr", "th", "wh", "kl", "sn", "bl", "dr", "fr", "gl", "sp", "w", "y", "h", "k"]
ENGLISH_RIMES = ["ank", "orp", "ib", "ell", "ox", "ump", "ing", "east", "ock", "ard", "een", "oil"]
MAYA_PARTS = ["q'", "k'", "tz'", "ch'", "x", "aj", "ixq", "b'", "oj", "uk", "a'", "ul"]
KEYBOARD = ["qwerty", "asdf", "zxcv", "hjkl", "uiop", "jkl", "poiu", "mnbv"]


def spanish_word(rng):
    return "".join(rng.choice(SPANISH_ONSETS) + rng.choice(SPANISH_VOWELS) for _ in range(rng.randint(2, 4)))


def english_word(rng):
    return "".join(rng.choice(ENGLISH_ONSETS) + rng.choice(ENGLISH_RIMES) for _ in range(rng.randint(1, 2)))


def maya_word(rng):
    return "".join(rng.choice(MAYA_PARTS) for _ in range(rng.randint(2, 4)))


def random_letters(rng):
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 12)))


# Seventh round (tuning only): English-like syllables, onset + vowel + coda.
TUNE_ONSETS = ["b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "z", "bl", "cr",
               "pl", "pr", "sh", "st", "tw", "qu", "sl", "fl", "squ", "scr", "ch"]  # fmt: skip
TUNE_VOWELS = ["a", "e", "i", "o", "u", "oa", "ee", "ai", "ou", "oo", "ea", "y"]
TUNE_CODAS = ["b", "d", "g", "k", "m", "n", "p", "t", "x", "ck", "nd", "nt", "sk", "mp", "rt", "lf",
              "ft", "sh", "tch", "ng", "zz", "rb", "lm"]  # fmt: skip
KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "qazwsxedc", "poiuytrewq"]
# Everyday words that are no job and no place of work, to be changed by a letter or two.
EVERYDAY = [
    "apple", "river", "yellow", "happy", "pillow", "mountain", "purple", "summer", "winter", "monkey",
    "turtle", "butter", "candle", "bottle", "guitar", "pencil", "rabbit", "orange", "flower", "sunny",
    "cloudy", "planet", "silver", "button", "blanket", "spider", "rocket", "jungle", "violin", "pretty",
    "manzana", "ventana", "amarillo", "almohada", "verano", "invierno", "tortuga", "botella", "guitarra",
    "conejo", "naranja", "estrella", "mariposa", "pelota", "sombrero", "cuchara", "tenedor", "nube",
    "luna", "alegre", "bonito", "dulce", "lluvia", "gato", "perro", "caballo", "domingo", "fiesta",
]  # fmt: skip
SYMBOLS = ["🙂", "😊", "😢", "🙏", "👍", "❤️", "😂", "🤷", "🇬🇹", "🇭🇳", "?", "!", ".", "…", "-", "*", "/", "#",
           "¿?", "¡!", ":)", ":(", "(", ")", "—", "+"]  # fmt: skip


def english_like_word(rng):
    return "".join(
        rng.choice(TUNE_ONSETS) + rng.choice(TUNE_VOWELS) + rng.choice(TUNE_CODAS)
        for _ in range(rng.randint(1, 3))
    )


def repeated(rng):
    """A syllable or a random group of letters said two to four times ("tumtumtum", "kjw kjw")."""
    if rng.random() < 0.5:
        unit = rng.choice(TUNE_ONSETS) + rng.choice(TUNE_VOWELS) + rng.choice(["", "", "n", "m", "k"])
    else:
        unit = "".join(rng.choice("bcdfghjklmnpqrstvwxyz") for _ in range(rng.randint(2, 4)))
    return rng.choice(["", " ", "-"]).join([unit] * rng.randint(2, 4))


def keyboard_run(rng):
    """A run along a row of the keyboard, either way, sometimes said again; or one key held."""
    if rng.random() < 0.2:
        return rng.choice("abcdefghijklmnopqrstuvwxyz") * rng.randint(4, 9)
    row = rng.choice(KEYBOARD_ROWS)
    start = rng.randrange(0, len(row) - 3)
    run = row[start : start + rng.randint(3, 7)]
    run = run[::-1] if rng.random() < 0.3 else run
    return " ".join([run] * rng.choice([1, 1, 2, 3]))


def letters_and_digits(rng):
    """Codes and scribbles that mix letters and digits ("k4x9", "ab12 77")."""
    return "".join(rng.choice("abcdefghijkmnpqrstuvwxyz0123456789") for _ in range(rng.randint(3, 8)))


def short_word(rng):
    """A very short made-up word (three to five letters)."""
    word = rng.choice(TUNE_ONSETS) + rng.choice(TUNE_VOWELS) + rng.choice(TUNE_CODAS)
    return word if len(word) <= 5 else word[:5]


def near_word(rng):
    """An everyday word changed by one or two letters (replaced, added, dropped or swapped)."""
    word = rng.choice(EVERYDAY)
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(word))
        letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
        change = rng.choice(["replace", "add", "drop", "swap"])
        if change == "replace":
            word = word[:i] + letter + word[i + 1 :]
        elif change == "add":
            word = word[:i] + letter + word[i:]
        elif change == "drop" and len(word) > 3:
            word = word[:i] + word[i + 1 :]
        elif i + 1 < len(word):
            word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word if word not in EVERYDAY else near_word(rng)


def symbols(rng):
    return rng.choice(["", " "]).join(rng.choice(SYMBOLS) for _ in range(rng.randint(1, 6)))


# Each kind: (generator of a word, how many words a text has).
KINDS = {
    "english-like": (english_like_word, (1, 8)),
    "repeated": (repeated, (1, 2)),
    "keyboard": (keyboard_run, (1, 3)),
    "letters and digits": (letters_and_digits, (1, 3)),
    "short words alone": (short_word, (1, 3)),
    "near a real word": (near_word, (1, 3)),
    "emoji and punctuation": (symbols, (1, 2)),
}


def kind_rows(count: int):
    """`count` texts of each kind, deterministic; a text never repeats."""
    rng = random.Random(7018)
    seen = set()
    for kind, (maker, (low, high)) in KINDS.items():
        made = 0
        while made < count:
            row = " ".join(maker(rng) for _ in range(rng.randint(low, high)))
            if row.lower() in seen:
                continue
            seen.add(row.lower())
            made += 1
            yield row, kind


def text(rng, makers, length):
    words = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(makers)(rng))
    return " ".join(words)


def rows(which: str, count: int):
    if which == "tune":
        rng = random.Random(2016)
        makers = [spanish_word, spanish_word, lambda r: r.choice(KEYBOARD)]
        lengths = [rng.choice([8, 20, 40, 80, 200, 600, 2000]) for _ in range(count)]
    else:
        rng = random.Random(1821)
        makers = [english_word, maya_word, random_letters]
        lengths = [rng.choice([6, 15, 30, 60, 150, 500, 1500, 3000, 5000]) for _ in range(count)]
    for length in lengths:
        yield text(rng, makers, length)


if __name__ == "__main__":
    if sys.argv[1] == "kinds":
        for row, kind in kind_rows(int(sys.argv[2])):
            print(f"{row}\tNONE\tNONE\tnonsense\tadded (issue 18, seventh round): generated, {kind}")
        sys.exit()
    for row in rows(sys.argv[1], int(sys.argv[2])):
        print(f"{row}\tNONE\tNONE\tnonsense\tgenerated")
