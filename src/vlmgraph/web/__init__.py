"""The web app: SPARQL 1.1 endpoint, named-query API and pages over the built store."""
