# The floors of fbtrack, lowest first, and what each may include. A floor's sources may include
# its own headers and those of the floors named for it, nothing else: cmake/CheckFloors.cmake
# reads every #include "floor/..." under src/ before anything is compiled, and a wrong one fails
# the build, naming the file and the floors it may use.
#   core       errors, clock, the seller's folders, locks and signals: what every floor needs
#   model      the seller's world as plain values (orders, ratings, messages, marketplaces)
#   text       bytes to text: encodings, MIME, tables, dates, terminal-safe text
#   catalogue  the data files (shipped, or the seller's copies) read and checked; below the
#              importers, which take their layouts and mail rules from it
#   importers  one reader per kind of source; IMAP
#   notify     alerts sent by SMTP (the outgoing side of mail, as importers are the incoming)
#   store      SQLite: the one place that holds SQL
#   analysis   verdicts, risks, calendar, metrics
#   drafts     removal requests, replies, buyer messages
#   app        the use-cases both front ends call: import, fetch, alerts, risks with drafts, …;
#              they return values, never words for a terminal
#   report     the monthly HTML page
#   commands   the command line's renderers: each command's use-case and what it prints
#   web        `serve`: the pages in the seller's browser, rendering the same use-cases
#   cli        options to commands, errors to exit codes
set(FBTRACK_FLOORS core model text catalogue importers notify store analysis drafts app report commands web cli)
set(FBTRACK_FLOOR_USES_core "")
set(FBTRACK_FLOOR_USES_model "")  # plain values; external headers only
set(FBTRACK_FLOOR_USES_text core model)
set(FBTRACK_FLOOR_USES_catalogue core model text)
set(FBTRACK_FLOOR_USES_importers core model text catalogue)
set(FBTRACK_FLOOR_USES_store core model text catalogue)
set(FBTRACK_FLOOR_USES_analysis core model text catalogue store)
set(FBTRACK_FLOOR_USES_drafts core model text catalogue analysis)
set(FBTRACK_FLOOR_USES_app core model text catalogue importers notify store analysis drafts)
set(FBTRACK_FLOOR_USES_report core model text catalogue analysis drafts app)
set(FBTRACK_FLOOR_USES_notify core model text)
set(FBTRACK_FLOOR_USES_commands core model text catalogue importers store analysis drafts app report notify)
set(FBTRACK_FLOOR_USES_web core model text catalogue store analysis drafts app report)
set(FBTRACK_FLOOR_USES_cli core model text catalogue commands web)
