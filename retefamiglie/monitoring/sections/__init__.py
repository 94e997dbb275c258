"""One module per capability read by the dashboard (see indicators.py).

A module defines ``INDICATORS``, a list of ``indicators.Indicator``, and reads
only the capability's selectors and models. It is imported only when its app is
installed (``indicators.SECTION_MODULES``).
"""
