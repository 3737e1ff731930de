#!/usr/bin/env python3
"""Does fbtrack decode real mail as Python's email package does?

    compare_with_python.py FBTRACK DIR_OR_FILE... [--min-share 0.98] [--report FILE] [--keep DIR]

Each message (an .eml file, every file of a folder, Maildir cur/ and new/ files included) is copied
into a temporary folder as buyer mail: From becomes `Buyer - Amazon Marketplace
<ALIAS@marketplace.amazon.co.jp>` (a distinct 15-character alias per message), To becomes
`shop@example.jp`, and the Subject gets a unique ` (Order: 503-0000000-000NNNN)` appended (a
Subject is added when there is none). Every other byte stays as it was. The copies are imported
with `FBTRACK --db TMP.db --today 2026-11-29 import DIR` (which must exit 0) and read back with
`messages --json`; copies whose Message-ID repeats another copy's go to a separate database, since
fbtrack keeps the first copy of a Message-ID by design.

For every message Python decodes (policy=email.policy.default, get_body(('plain', 'html')), HTML
turned into text), three things are compared:
  - the Subject, whitespace runs collapsed;
  - the date: the same UTC instant as Python's Date; when Python finds no usable Date, the date of
    the topmost Received header (the delivering server's), else anything;
  - the body: NFKC, all whitespace removed; only the prefix when fbtrack cut the text at 1 MiB.
Any `[...]` marker in fbtrack's text (its masks for names, phone numbers, addresses, e-mail
addresses) matches any text. Both sides map the code points that Japanese charset tables disagree
on (WAVE DASH / FULLWIDTH TILDE and the like) to one of each pair first, and C1 controls to their
windows-1252 characters (an iso-8859-1 label read as browsers and mail clients read it).

When Python's own text is lossy (U+FFFD, ESC bytes or an encoded word left undecoded: it could
not decode the charset), those runs match any short text; a message that still differs is counted as skipped, since
there is no reference to compare with. A message Python cannot parse or decode at all (an unknown
charset raising LookupError, a Content-Type it cannot split, no body found in a structure it
reports as broken) is skipped too.

Prints one line per message and `mailcheck: N matched, M differ, K skipped (Python cannot
decode)`; exits 1 when N/(N+M) < --min-share or the import of the whole folder fails, 2 on a usage
error, 77 when a named folder does not exist (the caller reports a skip). Standard library only.
"""
import argparse
import datetime as dt
import email
import email.policy
import email.utils
import html
import html.parser
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

TODAY = '2026-11-29'
FILE_TIME = 1795824000  # 2026-11-28T00:00:00Z, the day before TODAY
MARKETPLACE = 'marketplace.amazon.co.jp'
SHOP = 'shop@example.jp'

# Code points that CP932, Shift_JIS, EUC-JP and ISO-2022-JP tables (ICU's and Python's) map
# differently for the same bytes; neither is wrong.
VARIANTS = str.maketrans({
    '\u301c': '\uff5e',  # WAVE DASH / FULLWIDTH TILDE
    '\u2016': '\u2225',  # DOUBLE VERTICAL LINE / PARALLEL TO
    '\u2212': '\uff0d',  # MINUS SIGN / FULLWIDTH HYPHEN-MINUS
    '\u00a2': '\uffe0', '\u00a3': '\uffe1', '\u00ac': '\uffe2',  # cent, pound, not
    '\u2015': '\u2014',  # HORIZONTAL BAR / EM DASH
    '\u00a6': '\uffe4',  # broken bar
})
# C1 controls never occur in text: where Python decodes a label iso-8859-1 strictly, mail clients
# and browsers read windows-1252 (the WHATWG Encoding Standard), as fbtrack may. Both sides map
# U+0080-U+009F to the windows-1252 character of the same byte.
VARIANTS.update({c: bytes([c]).decode('cp1252', 'ignore') or chr(c) for c in range(0x80, 0xA0)})
ENCODED_WORD = re.compile(r'=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=')


# ---------------------------------------------------------------------------------------------
# Finding the messages

def message_files(arg):
    """The files to check under `arg`: the file itself, or every regular file below the folder
    (a Maildir's control files and tmp/ left out)."""
    if os.path.isfile(arg):
        return [arg]
    out = []
    for root, dirs, files in os.walk(arg):
        dirs[:] = sorted(d for d in dirs if d != 'tmp')
        for name in sorted(files):
            if name in ('PROVENANCE.md', 'README.md', 'README.txt', 'subscriptions', 'maildirfolder') \
                    or name.startswith('dovecot') or name.startswith('courier') or name.startswith('.'):
                continue
            out.append(os.path.join(root, name))
    return out


# ---------------------------------------------------------------------------------------------
# Rewriting a copy as buyer mail, byte-exact elsewhere

LINE = re.compile(rb'[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$')
FIELD = re.compile(rb'([\x21-\x39\x3b-\x7e]+)[ \t]*:')


def split_lines(raw):
    return LINE.findall(raw)


def line_end(line):
    if line.endswith(b'\r\n'):
        return b'\r\n'
    if line.endswith(b'\r') or line.endswith(b'\n'):
        return line[-1:]
    return b''


def rewrite(raw, alias, order_id):
    """The message with From, To and the Subject's order ID changed; other bytes untouched."""
    lines = split_lines(raw)
    start = 1 if lines and lines[0].startswith(b'From ') else 0
    eol = line_end(lines[start]) if start < len(lines) and line_end(lines[start]) else b'\n'
    # The header block: fields and their continuation lines, up to the blank line or the first
    # line that is neither (as Python's parser decides).
    fields = []  # [name_lower, first_line_index, last_line_index]
    i = start
    while i < len(lines):
        line = lines[i]
        if line in (b'\r\n', b'\n', b'\r'):
            break
        if line[:1] in (b' ', b'\t') and fields:
            fields[-1][2] = i
            i += 1
            continue
        m = FIELD.match(line)
        if not m:
            break
        fields.append([m.group(1).lower(), i, i])
        i += 1
    replace = {}  # first line index -> new bytes for the whole field; None drops the field
    seen = set()
    for name, first, last in fields:
        if name in (b'from', b'to'):
            if name in seen:
                replace[first] = (last, b'')
                continue
            seen.add(name)
            value = (b'From: Buyer - Amazon Marketplace <' + alias.encode() + b'@' + MARKETPLACE.encode() + b'>'
                     if name == b'from' else b'To: ' + SHOP.encode())
            replace[first] = (last, value + (line_end(lines[last]) or eol))
        elif name == b'subject' and b'subject' not in seen:
            seen.add(b'subject')
            # A separate plain word after the existing value, on the field's last line.
            tail = lines[last]
            end = line_end(tail)
            body = tail[:len(tail) - len(end)] if end else tail
            replace[first] = (last, b''.join(lines[first:last]) + body + b' (Order: ' + order_id.encode() + b')' + (end or eol))
    added = b''
    if b'from' not in seen:
        added += b'From: Buyer - Amazon Marketplace <' + alias.encode() + b'@' + MARKETPLACE.encode() + b'>' + eol
    if b'to' not in seen:
        added += b'To: ' + SHOP.encode() + eol
    if b'subject' not in seen:
        added += b'Subject: (Order: ' + order_id.encode() + b')' + eol
    out = b''.join(lines[:start]) + added
    i = start
    while i < len(lines):
        if i in replace:
            last, value = replace[i]
            out += value
            i = last + 1
        else:
            out += lines[i]
            i += 1
    if not lines:
        out += eol
    return out, i


def message_id_of(raw):
    m = re.search(rb'(?im)^message-id[ \t]*:[ \t]*(.*(?:\r?\n[ \t].*)*)', raw.split(b'\n\n', 1)[0].split(b'\r\n\r\n', 1)[0])
    return m.group(1).strip() if m else None


# ---------------------------------------------------------------------------------------------
# Python's reading

class HtmlText(html.parser.HTMLParser):
    SKIP = {'script', 'style', 'head', 'title'}
    BLOCK = {'br', 'p', 'div', 'tr', 'li', 'h1', 'h2', 'h3', 'table'}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.out.append('\n')

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.out.append('\n')

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_text(text):
    p = HtmlText()
    p.feed(text)
    p.close()
    return ''.join(p.out)


class PythonView:
    def __init__(self, raw):
        self.error = None
        self.subject = self.body = ''
        self.date = None       # aware datetime or None
        self.date_source = None
        try:
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            subject = msg['Subject']
            self.subject = str(subject) if subject is not None else ''
            self.date, self.date_source = python_date(msg)
            for p in msg.walk():
                ctype = p.get_content_type()
                if re.search(r'[\s;]', ctype):
                    # A Content-Type Python could not split ("text/plain  charset=..." without
                    # the ';'): it no longer sees the part as text, a mail client does.
                    raise ValueError('Python misreads Content-Type %r' % ctype[:60])
            part = msg.get_body(('plain', 'html'))
            if part is None and any(p.defects for p in msg.walk()):
                # Python sees the structure as broken and finds no text: no reference.
                raise ValueError('no body found; defects: %s' % ', '.join(
                    sorted({type(d).__name__ for p in msg.walk() for d in p.defects})))
            if part is not None:
                content = part.get_content()
                if not isinstance(content, str):
                    raise ValueError('body is not text')
                self.body = html_to_text(content) if part.get_content_subtype() == 'html' else content
        except Exception as e:  # noqa: BLE001 - anything Python's package cannot do is a skip
            self.error = '%s: %s' % (type(e).__name__, e)

    @property
    def lossy(self):
        return any(c in s for s in (self.subject, self.body) for c in ('\ufffd', '\x1b')) or \
            ENCODED_WORD.search(self.subject) is not None or \
            any(0xD800 <= ord(c) <= 0xDFFF for c in self.subject + self.body)


def aware(d):
    if d is None:
        return None
    return d if d.tzinfo else d.replace(tzinfo=dt.timezone.utc)


def python_date(msg):
    try:
        h = msg['Date']
        d = getattr(h, 'datetime', None) if h is not None else None
        if d is not None:
            return aware(d), 'Date'
    except Exception:  # noqa: BLE001
        pass
    received = msg.get_all('Received') or []
    # The topmost one was written by the server that delivered the mail; lower ones come from the
    # sender's side, whose clock (or honesty) nothing vouches for.
    for r in received:
        text = str(r)
        if ';' in text:
            try:
                d = email.utils.parsedate_to_datetime(text.rsplit(';', 1)[1].strip())
                return aware(d), 'Received'
            except Exception:  # noqa: BLE001
                pass
        break
    return None, None


# ---------------------------------------------------------------------------------------------
# Comparing

MARKER = re.compile(r'\[[^\[\]\s]{1,40}\]')


def norm_body(s):
    s = unicodedata.normalize('NFKC', s.translate(VARIANTS)).translate(VARIANTS)
    return ''.join(s.split())


def norm_subject(s):
    s = s.translate(VARIANTS)
    return ' '.join(s.split())


def glob_match(pieces, text, prefix_only=False, max_gap=None):
    """Literal pieces with a wildcard between each two: does text match (or start with the
    pattern when prefix_only)? Leftmost search per piece is exact for this kind of pattern.
    Returns (ok, offset in text where it first went wrong)."""
    if len(pieces) == 1:
        if prefix_only:
            ok = text.startswith(pieces[0]) or pieces[0].startswith(text)
        else:
            ok = text == pieces[0]
        return ok, 0 if ok else common_prefix(pieces[0], text)
    first, last = pieces[0], pieces[-1]
    if not text.startswith(first):
        return False, common_prefix(first, text)
    pos = len(first)
    for piece in pieces[1:-1]:
        at = text.find(piece, pos)
        if at < 0 or (max_gap is not None and at - pos > max_gap):
            return False, pos
        pos = at + len(piece)
    if prefix_only:
        return True, 0
    if len(text) - len(last) < pos or not text.endswith(last) or \
            (max_gap is not None and len(text) - len(last) - pos > max_gap):
        return False, pos
    return True, 0


def common_prefix(a, b):
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def fb_pattern(fb_text):
    return MARKER.split(fb_text)


def py_pattern(py_text):
    # Python's runs of U+FFFD / ESC-sequences and the encoded words it left undecoded are what it
    # could not decode: wildcards.
    return re.split('[\ufffd\x1b]+(?:[$(][@AB]|[(]J|[(]I)?|' + ENCODED_WORD.pattern, py_text)


def compare_text(fb, py, lossy, prefix_only=False):
    """(ok, snippet): fbtrack's normalised text against Python's."""
    ok, at = glob_match(fb_pattern(fb), py, prefix_only)
    if ok:
        return True, None
    if lossy:
        ok2, _ = glob_match(py_pattern(py), fb, prefix_only, max_gap=64)
        if ok2:
            return True, None
    # The first difference: find where fbtrack's text leaves Python's.
    k = common_prefix(fb, py)
    return False, 'fbtrack %s | python %s' % (snippet(fb, k), snippet(py, k))


def snippet(s, at, width=40):
    lo = max(0, at - 12)
    part = s[lo:at + width]
    return json.dumps(('…' if lo else '') + part + ('…' if at + width < len(s) else ''), ensure_ascii=True)


def has_surrogates(s):
    return any(0xDC80 <= ord(c) <= 0xDCFF for c in s)


def parse_utc(s):
    if not s:
        return None
    s = s.strip().replace('Z', '+00:00')
    try:
        d = dt.datetime.fromisoformat(s)
    except ValueError:
        return None
    return aware(d)


# ---------------------------------------------------------------------------------------------

def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def import_folder(fbtrack, folder, db):
    r = run([fbtrack, '--db', db, '--today', TODAY, 'import', folder])
    msgs = []
    if r.returncode == 0 or os.path.exists(db):
        q = run([fbtrack, '--db', db, '--today', TODAY, 'messages', '--json'])
        if q.returncode == 0:
            try:
                # Invalid UTF-8 survives as lone surrogates, so that one bad message is reported
                # on its own instead of losing the whole list.
                msgs = json.loads(q.stdout.decode('utf-8', 'surrogateescape'))
            except ValueError as e:
                msgs = []
                r = subprocess.CompletedProcess(r.args, r.returncode or 1, r.stdout,
                                                r.stderr + b'\nmessages --json is not valid JSON: ' + str(e).encode())
    return r, msgs


def one_line(b, limit=300):
    s = b.decode('utf-8', 'replace').strip().replace('\n', ' | ')
    return s[:limit]


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('fbtrack')
    ap.add_argument('paths', nargs='+')
    ap.add_argument('--min-share', type=float, default=0.98)
    ap.add_argument('--report')
    ap.add_argument('--keep', help='keep the rewritten copies and databases in this folder')
    ap.add_argument('--skip-message', help='what to print when a named folder does not exist (exit 77)')
    args = ap.parse_args(argv)

    for p in args.paths:
        if not os.path.exists(p):
            print('mailcheck: skipped: %s' % (args.skip_message or '%s does not exist' % p))
            return 77
    if not os.access(args.fbtrack, os.X_OK):
        print('mailcheck: %s is not an executable' % args.fbtrack, file=sys.stderr)
        return 2

    files = []
    for p in args.paths:
        files += message_files(p)
    report_lines = []

    def say(line):
        print(line, flush=True)
        report_lines.append(line)

    work = args.keep or tempfile.mkdtemp(prefix='mailcheck-')
    os.makedirs(work, exist_ok=True)
    rng = random.Random(20261129)
    alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
    aliases = set()
    cases = []  # dicts
    batches = []  # list of sets of message ids
    try:
        for n, path in enumerate(files, 1):
            with open(path, 'rb') as f:
                raw = f.read()
            while True:
                alias = ''.join(rng.choice(alphabet) for _ in range(15))
                if alias not in aliases:
                    aliases.add(alias)
                    break
            order_id = '503-0000000-%07d' % n
            copy, _ = rewrite(raw, alias, order_id)
            mid = message_id_of(copy)
            batch = 0
            while batch < len(batches) and mid is not None and mid in batches[batch]:
                batch += 1
            if batch == len(batches):
                batches.append(set())
            if mid is not None:
                batches[batch].add(mid)
            folder = os.path.join(work, 'batch%d' % batch)
            os.makedirs(folder, exist_ok=True)
            name = '%05d.eml' % n
            with open(os.path.join(folder, name), 'wb') as f:
                f.write(copy)
            # A message without a Date is dated by its file's time: keep that before TODAY, or
            # the check would depend on the hour it runs at (TODAY's end comes first in JST).
            os.utime(os.path.join(folder, name), (FILE_TIME, FILE_TIME))
            cases.append({'path': path, 'order_id': order_id, 'alias': alias, 'copy': os.path.join(folder, name),
                          'py': PythonView(copy)})

        import_failed = False
        # Each copy is found again by its alias (distinct per copy), else by the order ID added to
        # its Subject (fbtrack takes the first order ID, and a real one may come before it).
        by_alias, by_order = {}, {}

        def remember(m):
            by_alias.setdefault(m.get('buyer_alias'), m)
            by_order.setdefault(m.get('order_id'), m)
        for b in range(len(batches)):
            folder = os.path.join(work, 'batch%d' % b)
            db = os.path.join(work, 'batch%d.db' % b)
            r, msgs = import_folder(args.fbtrack, folder, db)
            if r.returncode != 0:
                import_failed = True
                say('IMPORT FAILED (exit %d) for %s: %s' % (r.returncode, folder, one_line(r.stderr)))
                # Each copy on its own, to say which messages fail.
                for c in cases:
                    if os.path.dirname(c['copy']) != folder:
                        continue
                    single = os.path.join(work, 'single-%s.db' % c['order_id'])
                    r1, m1 = import_folder(args.fbtrack, c['copy'], single)
                    if r1.returncode != 0:
                        c['import_error'] = 'exit %d: %s' % (r1.returncode, one_line(r1.stderr, 200))
                    for m in m1:
                        remember(m)
            else:
                for m in msgs:
                    remember(m)

        matched = differ = skipped = lossy_matched = 0
        for c in cases:
            rel = c['path']
            py = c['py']
            if py.error:
                skipped += 1
                say('%s: skipped (Python: %s)' % (rel, py.error[:120]))
                continue
            fb = by_alias.get(c['alias']) or by_order.get(c['order_id'])
            if fb is None:
                differ += 1
                why = c.get('import_error') or 'not imported (no message with its alias or order ID)'
                say('%s: mismatch: %s' % (rel, why))
                continue
            problems = []
            bad = [k for k in ('subject', 'body') if has_surrogates(fb.get(k) or '')]
            if bad:
                problems.append('%s: not valid UTF-8 in messages --json' % '/'.join(bad))
            # Subject
            want = norm_subject(py.subject)
            ok, snip = compare_text(norm_subject(fb.get('subject') or ''), want, py.lossy)
            if not ok:
                problems.append('subject: ' + snip)
            # Date
            fb_date = parse_utc(fb.get('sent_at'))
            if py.date is not None:
                if fb_date is None or abs((fb_date - py.date).total_seconds()) >= 1:
                    problems.append('date: fbtrack %s | python %s (%s)' % (fb.get('sent_at'), py.date.astimezone(dt.timezone.utc).isoformat(), py.date_source))
            # Body
            note = fb.get('decoding_note') or ''
            capped = '1 MiB' in note or 'MiB' in note
            ok, snip = compare_text(norm_body(fb.get('body') or ''), norm_body(py.body), py.lossy, prefix_only=capped)
            if not ok:
                problems.append('body: ' + snip)
            if not problems:
                matched += 1
                extra = []
                if py.lossy:
                    lossy_matched += 1
                    extra.append('Python lossy')
                if note:
                    extra.append('note: ' + note[:100])
                say('%s: ok%s' % (rel, (' (' + '; '.join(extra) + ')') if extra else ''))
            elif py.lossy:
                skipped += 1
                say('%s: skipped (Python could not decode its charset: U+FFFD/ESC in its text); differs: %s' % (rel, '; '.join(problems)))
            else:
                differ += 1
                say('%s: mismatch: %s%s' % (rel, '; '.join(problems), (' [note: %s]' % note[:100]) if note else ''))

        share = matched / (matched + differ) if matched + differ else 1.0
        say('mailcheck: %d matched, %d differ, %d skipped (Python cannot decode)' % (matched, differ, skipped))
        if lossy_matched:
            say('mailcheck: %d of the matched hold text Python could not decode (compared where it could)' % lossy_matched)
        say('mailcheck: share %.3f (minimum %.3f)%s' % (share, args.min_share, '; the import of the whole folder failed' if import_failed else ''))
        if args.report:
            with open(args.report, 'w', encoding='utf-8') as f:
                f.write('\n'.join(report_lines) + '\n')
        return 1 if import_failed or share < args.min_share else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
