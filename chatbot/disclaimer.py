"""The fixed safety disclaimer shown on every reply and on the page: defined here only."""

DISCLAIMER = (
    "This is general information quoted from the articles listed, not a diagnosis or medical advice, "
    "and it is not a substitute for a doctor or physical therapist. In an emergency, call your local "
    "emergency number now. Do not delay seeking care because of something you read here."
)
