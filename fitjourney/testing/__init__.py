"""The test kit every app uses: personas, an access-matrix helper and query-count assertions.

Only tests import this package.
"""
