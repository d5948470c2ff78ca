"""Voice announcements for the display board.

``phrases`` turns a ticket number and a counter into the words to speak (pure,
no I/O); ``synth`` renders them offline with espeak-ng into a cached WAV file
that starts with a chime.
"""
