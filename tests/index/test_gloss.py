"""Another name for a term, or what it means, read from the text that glosses it."""

from __future__ import annotations

import pytest

from index.gloss import glosses


@pytest.mark.parametrize("text, term, other", [
    ("The stators (static discs) are fixed to the casing.", "stators", "static discs"),
    ("A stator (a static disc) is fixed to the casing.", "stators", "a static disc"),
    ("Blood sugar (glucose) levels rise after meals.", "glucose", "Blood sugar"),
    ("The lease, also referred to as the Agreement below, runs for two years.", "lease",
     "the Agreement"),
    ("Ransomware, sometimes called crypto malware or cryptoviral extortion, encrypts files.",
     "ransomware", "crypto malware"),
    ("The firebox, also called the combustion chamber because the coal burns there, is "
     "lined with brick.", "firebox", "the combustion chamber"),
    ('The engine suffers excessive compression ("kick back").', "excessive compression",
     "kick back"),
    # after a copula: "is sometimes referred to as", "is called"
    ("The Rankine cycle is sometimes referred to as a practical Carnot cycle because the "
     "diagram resembles it.", "Rankine cycle", "a practical Carnot cycle"),
    ("The safety valve is called the pop valve by older engineers.", "safety valve",
     "the pop valve"),
    ("Paris is known as the City of Light.", "Paris", "the City of Light"),
])
def test_another_name_is_read_from_a_parenthesis_or_also_called(text, term, other):
    assert [text[a:b] for a, b in glosses(text, term)] == [other]


@pytest.mark.parametrize("text, term", [
    # what a parenthesis holds is a unit, a place, a date, an amount, a condition, a
    # reference, a pronoun, a list or a property, not another name
    ("Tighten the bolts to the specified torque (Nm) before use.", "torque"),
    ("All invoices go to the head office (London) within 30 days.", "head office"),
    ("The merger (2004) created the largest bank in the region.", "merger"),
    ("The fee (USD 25) is non-refundable.", "fee"),
    ("Start the device in safe mode (not the default) to diagnose faults.", "safe mode"),
    ("Adjust the dosage (see Table 2) for patients over 65.", "dosage"),
    ("The policyholder (you) must notify us of changes.", "policyholder"),
    ("The founders (Alice, Bob and Carol) met at university.", "founders"),
    ("Enter the backup key (optional) and press Next.", "backup key"),
    ("Close the valve (clockwise) to stop flow.", "valve"),
    ("The account (s) will be closed.", "account"),
    # the term inside a longer name, or the words before it part of a longer phrase
    ("Connect the cable to the serial port (COM1) on the back panel.", "port"),
    ("The longest bone in the body (femur) supports the weight.", "femur"),
    ("This error (E42) means the disk is full.", "E42"),
    # "called" as a verb, and the term glossed by itself
    ("The customer called the helpdesk twice before the refund.", "customer"),
    ("The pump, known as reliable, has run for years.", "pump"),
    ("The policy (the Policy) applies to all staff.", "policy"),
    # "is called" as the passive of a verb, and a phrase longer than a name, cut short
    ("The handler is called twice per request.", "handler"),
    ("The function is called by the kernel with two arguments.", "function"),
    ("The meeting was called off because of the storm.", "meeting"),
    ("Warsaw is known as a hub of trade and industry.", "Warsaw"),
    ("The constructor is called every time an object is made.", "constructor"),
    ("The merger was called a mistake by analysts.", "merger"),
    ("The function is called the main loop's handler.", "function"),
])
def test_no_other_name_where_the_text_gives_none(text, term):
    assert glosses(text, term) == []
