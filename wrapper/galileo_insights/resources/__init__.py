"""One module (or small package) per endpoint: its request building, arguments and page reading.

Resources receive the client's sending core; the core never imports them (``make lint`` holds that rule). This
package imports none of them itself: the client loads each on first use, and ``galileo_insights`` exports them.
"""
