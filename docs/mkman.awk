# mkman.awk - write a section 3 man page from a public header.
#
#     awk -f docs/mkman.awk -v version=0.1.0 include/gadfly.h > docs/gadfly.3
#     awk -f docs/mkman.awk -v version=0.1.0 -v header=gadfly/state.h \
#         -v names=docs/gadfly_state.names include/gadfly/state.h \
#         > docs/gadfly_state.3
#
# `header` is the name users include (default gadfly.h); the page is named
# after it (gadfly/state.h gives gadfly_state(3)).  With `names`, the file
# it names receives every public name the page documents, one a line (the
# functions, types and macros, and every macro the header defines whose
# name does not end in `_`): `make install` gives each a page of its own
# that sources this one, so that `man 3 gf_draw` finds it.
#
# The header is the documentation, so the man page is derived from it and
# cannot drift.  The header's first line ("gadfly/state.h - what it is")
# gives NAME, the rest of its top comment DESCRIPTION; each banner
#     /* ---------- */
#     /* Title.     */
#     /* ---------- */
# (or a one-line /* --- Title --- */) starts a section, and inside it every
# group of declarations (GF_API functions, typedefs, documented macros) is
# listed with the comment before it.  A group is the declarations between a
# comment and the next blank line or comment.  Trailing /**< ... */ comments
# stay beside their declaration.  Undocumented helpers whose names end in
# `_` exist for macros to call, and are left out.
#
# POSIX awk only: it runs under mawk, Debian's default awk, as well as gawk.

BEGIN {
    if (version == "")
        version = "unknown"
    if (header == "")
        header = "gadfly.h"
    page = header
    sub(/\.h$/, "", page)
    gsub(/\//, "_", page)
    main_page = header == "gadfly.h"
    nsections = 0
    in_comment = 0     # inside a block comment spanning lines
    in_decl = 0        # inside a declaration spanning lines
    in_macro = 0       # inside the continuation lines of a #define
    banner = 0         # 1: saw a banner rule, 2: saw its title
    seen_top = 0       # the file's top comment has been used
    ncomment = 0       # lines of the pending comment
    ndecl = 0          # declarations in the pending group
    printf ".\\\" Generated from include/%s by docs/mkman.awk; do not edit.\n", header
}

# The page's title, NAME and SYNOPSIS, once the top comment says what the
# header is for: `what` is the text after "header - ".
function page_top(what) {
    printf ".TH %s 3 \"\" \"gadfly %s\" \"Library Functions Manual\"\n", \
           toupper(page), version
    print ".SH NAME"
    print esc(page) " \\- " esc(what)
    print ".SH SYNOPSIS"
    print ".nf"
    print ".B #include <" header ">"
    if (main_page) {
        print ".PP"
        print "\\&\\fBGF_PROPERTY(\\fP\\fIname\\fP\\fB) {\\fP ... \\fB}\\fP"
        print ".B GF_MAIN()"
    }
    print ".fi"
    print ".PP"
    print "Compile and link with"
    print ".IR \"$(pkg\\-config \\-\\-cflags \\-\\-libs gadfly)\" ."
}

# ---- text helpers ----------------------------------------------------------

function trim(s) {
    sub(/^[ \t]+/, "", s)
    sub(/[ \t]+$/, "", s)
    return s
}

# Make text safe for groff: backslashes first, then hyphens (so that code
# reads back as typed), then `code` spans in italics.
function esc(s,    out) {
    gsub(/\\/, "\\e", s)
    gsub(/-/, "\\-", s)
    out = ""
    while (match(s, /`[^`]*`/)) {
        out = out substr(s, 1, RSTART - 1) "\\fI" \
              substr(s, RSTART + 1, RLENGTH - 2) "\\fP"
        s = substr(s, RSTART + RLENGTH)
    }
    return out s
}

# A text line; \& keeps a leading "." or "'" from being read as a request.
function text_line(s) {
    print "\\&" esc(s)
}

# ---- comments --------------------------------------------------------------

# The body of one comment line, without /**, /*, */ and the leading " * ".
function comment_body(s) {
    sub(/^[ \t]*\/\*\*?<?/, "", s)
    sub(/\*\/[ \t]*$/, "", s)
    if (s ~ /^[ \t]*\*( |$)/)
        sub(/^[ \t]*\*/, "", s)
    sub(/^ /, "", s)
    sub(/[ \t]+$/, "", s)
    return s
}

function is_rule(s) {
    return s ~ /^\/\* *-+ *\*\/$/
}

# The title of a one-line banner "/* --- Title --- */", or "".
function inline_banner(s) {
    if (s !~ /^\/\* *---+ +[^-].* +---+ *\*\/$/)
        return ""
    sub(/^\/\* *-+ +/, "", s)
    sub(/ +-+ *\*\/$/, "", s)
    return s
}

# Print the pending comment as paragraphs.  Lines indented by four or more
# spaces are code, shown unfilled; blank lines separate paragraphs.
function print_comment(    i, line, code, gap) {
    code = 0
    gap = 0      # a paragraph break is due before the next text
    for (i = 1; i <= ncomment; i++) {
        line = comment[i]
        if (line == "") {
            if (code) {
                print ".fi"
                print ".RE"
                code = 0
            }
            gap = 1
            continue
        }
        if (line ~ /^    /) {
            if (!code) {
                print ".PP"
                print ".RS 4"
                print ".nf"
                code = 1
            }
            text_line(substr(line, 5))
            gap = 0
            continue
        }
        if (code) {
            print ".fi"
            print ".RE"
            code = 0
            gap = 1
        }
        if (gap && i > 1)
            print ".PP"
        gap = 0
        if (sub(/^@pre /, "Requires: ", line))
            print ".br"
        text_line(line)
    }
    if (code) {
        print ".fi"
        print ".RE"
    }
}

# ---- sections and groups ---------------------------------------------------

function open_section(title) {
    flush_group()
    section_heading(title)
}

# ".SH HEAD" from "Head: rest of title.", and the rest as a sentence.
function section_heading(title,    head, rest) {
    title = trim(title)
    sub(/\.$/, "", title)
    head = title
    rest = ""
    if (match(title, /: /)) {
        head = substr(title, 1, RSTART - 1)
        rest = substr(title, RSTART + 2)
    }
    print ".SH " esc(toupper(head))
    if (rest != "")
        text_line(toupper(substr(rest, 1, 1)) substr(rest, 2) ".")
    nsections++
}

# A declaration as it appears in the page: attributes that only matter to
# the compiler removed, whitespace joined to single spaces.
function clean_decl(s) {
    gsub(/[ \t]+/, " ", s)
    gsub(/GF_API /, "", s)
    gsub(/GF_NORETURN /, "", s)
    gsub(/ GF_PRINTF\([^)]*\)/, "", s)
    gsub(/\( /, "(", s)
    return trim(s)
}

# The name a declaration defines: a macro's, a function's, a typedef's.
function decl_name(s,    t) {
    t = s
    if (t ~ /^#define/) {
        sub(/^#define[ \t]+/, "", t)
        sub(/[^A-Za-z0-9_].*$/, "", t)
        return t
    }
    if (t ~ /^typedef/) {
        sub(/[ \t]*;.*$/, "", t)
        if (t ~ /\(\*[A-Za-z0-9_]+\)/) {
            match(t, /\(\*[A-Za-z0-9_]+\)/)
            return substr(t, RSTART + 2, RLENGTH - 3)
        }
        sub(/^.*[^A-Za-z0-9_]/, "", t)
        return t
    }
    sub(/\(.*$/, "", t)
    sub(/^.*[^A-Za-z0-9_]/, "", t)
    return t
}

# Add a declaration to the pending group, with its trailing doc if any.
function add_decl(text, note,    lines) {
    decl[++ndecl] = text
    decl_note[ndecl] = note
}

# Print the pending group: its declarations in bold (a typedef with braces
# verbatim, member comments included), then the comment before them.
function flush_group(    i, n, shown, parts, j) {
    shown = 0
    for (i = 1; i <= ndecl; i++)
        if (ncomment > 0 || decl_note[i] != "" || decl_name(decl[i]) !~ /_$/)
            shown++
    if (shown == 0 && ncomment == 0) {
        ndecl = 0
        return
    }
    if (nsections == 0 && seen_top)
        section_heading("Types")
    if (shown > 0) {
        print ".PP"
        print ".nf"
        for (i = 1; i <= ndecl; i++) {
            if (ncomment == 0 && decl_note[i] == "" &&
                decl_name(decl[i]) ~ /_$/)
                continue
            add_name(decl_name(decl[i]))
            n = split(decl[i], parts, "\n")
            for (j = 1; j <= n; j++) {
                if (n == 1 && decl_note[i] != "")
                    print "\\&\\fB" esc(parts[j]) "\\fP  /* " \
                          esc(decl_note[i]) " */"
                else if (n == 1)
                    print "\\&\\fB" esc(parts[j]) "\\fP"
                else
                    text_line(member_comment(parts[j]))
            }
        }
        print ".fi"
    }
    if (ncomment > 0) {
        if (shown > 0)
            print ".RS 4"
        print_comment()
        if (shown > 0)
            print ".RE"
    }
    ndecl = 0
    ncomment = 0
}

# A finished comment: the file's top comment becomes DESCRIPTION; any other
# starts a new group as that group's documentation.
function end_comment(    i, k, rest) {
    if (!seen_top) {
        seen_top = 1
        page_top(header_summary())
        print ".SH DESCRIPTION"
        # The first sentence says what the file is for: NAME has it.  The
        # rest of its paragraph stays.
        rest = ""
        for (k = 1; k <= ncomment && comment[k] != ""; k++)
            rest = rest (rest == "" ? "" : " ") comment[k]
        if (match(rest, /\. /))
            rest = substr(rest, RSTART + 2)
        else
            rest = ""
        for (i = k; i <= ncomment; i++)
            comment[i - k + 2] = comment[i]
        ncomment = ncomment - k + 2
        comment[1] = rest
        while (ncomment > 0 && comment[1] == "") {
            for (i = 2; i <= ncomment; i++)
                comment[i - 1] = comment[i]
            ncomment--
        }
        print_comment()
        ncomment = 0
    }
}

# What the header is for, from its top comment's first sentence after
# "NAME - ", cut before a colon when long: one line for NAME.
function header_summary(    i, t) {
    t = ""
    for (i = 1; i <= ncomment && comment[i] != ""; i++)
        t = t (t == "" ? "" : " ") comment[i]
    sub(/^[^ ]+ - /, "", t)
    if (match(t, /\. /))
        t = substr(t, 1, RSTART - 1)
    sub(/[.,:;]$/, "", t)
    if (length(t) > 60 && match(t, /: /))
        t = substr(t, 1, RSTART - 1)
    return t
}

# Record a public name for the link pages.
function add_name(n) {
    if (names != "" && n ~ /^(gf|GF)_/ && n !~ /_$/ && !(n in named) &&
        !(n in undone)) {
        named[n] = 1
        print n > names
    }
}

# Split "decl /**< note */" into the declaration and the note.
function split_note(s) {
    note = ""
    if (match(s, /\/\*\*<.*\*\//)) {
        note = trim(substr(s, RSTART + 4, RLENGTH - 6))
        s = substr(s, 1, RSTART - 1)
    }
    return trim(s)
}

# A line of a struct or enum as shown: "/**<" member docs become "/*".
function member_comment(s) {
    sub(/\/\*\*</, "/*", s)
    return s
}

function brace_balance(s,    t, opens, closes) {
    t = s
    opens = gsub(/\{/, "", t)
    t = s
    closes = gsub(/\}/, "", t)
    return opens - closes
}

# ---- the scanner -----------------------------------------------------------

in_macro {
    if ($0 !~ /\\$/)
        in_macro = 0
    next
}

in_comment {
    comment[++ncomment] = comment_body($0)
    if ($0 ~ /\*\//) {
        in_comment = 0
        end_comment()
    }
    next
}

in_decl {
    if (decl_kind == "typedef") {
        decl_text = decl_text "\n" $0
        depth += brace_balance($0)
        if (depth <= 0 && $0 ~ /;/) {
            in_decl = 0
            add_decl(decl_text, "")
        }
    } else {
        decl_text = decl_text " " split_note($0)
        if (note != "")
            decl_note_pending = note
        if ($0 ~ /;/) {
            in_decl = 0
            add_decl(clean_decl(decl_text), decl_note_pending)
        }
    }
    next
}

/^[ \t]*$/ {
    flush_group()
    next
}

# Banners: a rule line, a one-line title, a rule line.
is_rule($0) {
    banner = (banner == 2) ? 0 : 1
    next
}

banner == 1 && /^\/\*.*\*\/$/ {
    open_section(comment_body($0))
    banner = 2
    next
}

inline_banner($0) != "" {
    open_section(inline_banner($0))
    next
}

/^[ \t]*\/\*/ {
    flush_group()
    ncomment = 0
    comment[++ncomment] = comment_body($0)
    if ($0 ~ /\*\//) {
        end_comment()
    } else {
        in_comment = 1
        # "/**" alone on its line leaves an empty first line: drop it.
        if (comment[1] == "")
            ncomment = 0
    }
    next
}

/^GF_API / {
    decl_text = split_note($0)
    decl_note_pending = note
    if ($0 ~ /;/)
        add_decl(clean_decl(decl_text), decl_note_pending)
    else
        in_decl = 1
    decl_kind = "function"
    next
}

/^typedef / {
    decl_kind = "typedef"
    depth = brace_balance($0)
    if (depth <= 0 && $0 ~ /;/) {
        add_decl(split_note($0), note)
    } else {
        decl_text = $0
        in_decl = 1
    }
    next
}

/^#undef[ \t]+[A-Za-z_]/ {
    undone[$2] = 1
    next
}

/^#define[ \t]+[A-Za-z_]/ {
    line = $0
    macro = line
    sub(/^#define[ \t]+/, "", macro)
    sub(/[^A-Za-z0-9_].*$/, "", macro)
    # A macro #undef'd and defined again is another header's (fuzz.h's
    # GF_MAIN): its page is that header's.
    if (macro !~ /^GADFLY_.*_H$/ && !(macro in undone))
        add_name(macro)
    if (line ~ /\\$/) {
        in_macro = 1
        sub(/[ \t]*\\$/, "", line)
    }
    line = split_note(line)
    # A function-like macro shows its parameters, not its body.
    if (match(line, /^#define[ \t]+[A-Za-z0-9_]+\([^)]*\)/))
        line = substr(line, 1, RLENGTH)
    gsub(/[ \t]+/, " ", line)
    # Undocumented macros (include guards, attributes) are not API.
    if (ncomment > 0 || note != "" || ndecl > 0)
        add_decl(line, note)
    next
}

END {
    flush_group()
    if (main_page)
        main_page_end()
    print ".SH SEE ALSO"
    if (main_page) {
        print ".BR gadfly (1)"
        print "for the command line of a test program, and, for the optional headers,"
        print ".BR gadfly_criterion (3),"
        print ".BR gadfly_fault (3),"
        print ".BR gadfly_fault_wrap (3),"
        print ".BR gadfly_fiu (3),"
        print ".BR gadfly_fuzz (3),"
        print ".BR gadfly_gen (3),"
        print ".BR gadfly_payload (3),"
        print ".BR gadfly_sched (3),"
        print ".BR gadfly_sched_pthread (3),"
        print ".BR gadfly_state (3),"
        print ".BR gadfly_text (3),"
        print ".BR gadfly_time (3),"
        print ".BR gadfly_tz (3);"
    } else {
        print ".BR gadfly (3)"
        print "for the core API,"
        print ".BR gadfly (1)"
        print "for the command line of a test program;"
    }
    print ".BR pkg\\-config (1)."
    print ".PP"
    print "The user guide, the generator catalogue and the API overview:"
    print ".IR docs/guide.md ,"
    print ".I docs/generators.md"
    print "and"
    print ".I docs/reference.md"
    print "in the Gadfly sources."
}

# The exit status and environment of a GF_MAIN() program: gadfly(1) has
# them in full.
function main_page_end() {
    print ".SH EXIT STATUS"
    print "A test binary built with"
    print ".B GF_MAIN()"
    print "(and"
    print ".BR gf_main ())"
    print "exits with:"
    print ".TP"
    print ".B 0"
    print "every property held;"
    print ".TP"
    print ".B 1"
    print "a property failed (the report shows the counterexample and a replay line);"
    print ".TP"
    print ".B 2"
    print "usage error: a bad option, environment variable or replay token,"
    print "or no property to run;"
    print ".TP"
    print ".B 3"
    print "internal error."
    print ".SH ENVIRONMENT"
    print "Each variable sets what the command\\-line option of the same name"
    print "sets; an option given on the command line wins.  Criterion test"
    print "binaries, whose"
    print ".B main"
    print "is not Gadfly's, are configured this way."
    print ".TP"
    print ".B GF_SEED"
    print "the seed of the run (\\fB\\-\\-seed\\fP);"
    print ".TP"
    print ".B GF_TRIALS"
    print "cases that must hold per property (\\fB\\-\\-trials\\fP, default 100);"
    print ".TP"
    print ".B GF_REPLAY"
    print "run exactly the case of this replay token (\\fB\\-\\-replay\\fP);"
    print ".TP"
    print ".B GF_FILTER"
    print "run only the properties whose names match this glob (\\fB\\-\\-filter\\fP);"
    print ".TP"
    print ".B GF_VERBOSE"
    print "1: a line per property, 2: a line per case (\\fB\\-\\-verbose\\fP);"
    print ".TP"
    print ".B GF_TIMEOUT"
    print "a case running longer fails as \\(lqtimeout\\(rq (\\fB\\-\\-timeout\\fP, default 10s, \\fBnone\\fP to turn off);"
    print ".TP"
    print ".B GF_DURATION"
    print "run each property for this long instead of a number of cases (\\fB\\-\\-duration\\fP);"
    print ".TP"
    print ".B GF_SHARD"
    print "this machine's share I/N of the seeds (\\fB\\-\\-shard\\fP);"
    print ".TP"
    print ".B GF_JOBS"
    print "worker processes for each property (\\fB\\-\\-jobs\\fP, default 1);"
    print ".TP"
    print ".B GF_DB"
    print "the failure database directory (\\fB\\-\\-db\\fP, default \\fI.gadfly\\fP; \\fB\\-\\-no\\-db\\fP for none);"
    print ".TP"
    print ".B GF_MAX_SHRINK_CALLS"
    print "property calls the shrinker may make without progress before it stops (\\fB\\-\\-max\\-shrink\\-calls\\fP, default 1000);"
    print ".TP"
    print ".B GF_MAX_SHRINK_SECONDS"
    print "seconds the shrinker may take (\\fB\\-\\-max\\-shrink\\-time\\fP, default 60)."
}
