"""Made-up texts for the occupation coder's calibration sets (standard library only).

    python bench/data/make_nonsense.py tune 40      # rows for coder_tune.tsv
    python bench/data/make_nonsense.py heldout 40   # rows for coder_heldout.tsv

The two sets are made differently on purpose, so that a calibration fitted on one is tested on
nonsense it has not seen the like of: the tuning rows are Spanish-sounding pseudo-words (consonant
+ vowel syllables) and keyboard runs; the held-out rows are English- and Maya-sounding
pseudo-words (consonant clusters, glottal stops), random letters, and long runs of up to 5 000
characters. Each row is printed as `text<TAB>NONE<TAB>NONE<TAB>nonsense<TAB>generated`.
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
    for row in rows(sys.argv[1], int(sys.argv[2])):
        print(f"{row}\tNONE\tNONE\tnonsense\tgenerated")
