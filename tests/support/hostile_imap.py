#!/usr/bin/env python3
"""A scripted IMAP server that misbehaves on purpose, for the tests of fbtrack fetch and watch
against hostile servers (tests/e2e/HostileServerTest.cpp). Standard library only.

It listens on 127.0.0.1, writes its port to --ready, and serves one connection at a time until it
is killed. Messages are the files UID.eml in --messages. Each command it receives is appended to
--log (LOGIN without its password), so a test can see what fbtrack asked for.

Scenarios (--scenario):
  normal            a well-behaved server
  endless-greeting  the greeting line never ends (sent before STARTTLS, in the clear)
  endless-line      after login, the answer to EXAMINE is one line that never ends
  drip              after login, the answer to EXAMINE comes one byte every half second
  silent            after login, EXAMINE is never answered
  huge-literal      every message is announced as {4294967295} and streamed without end
  lying-literal     a message is announced as {100}, then far more than 100 bytes follow
  bogus-uid         every UID SEARCH also lists UID 4294967295, which the folder does not have
  no-body           a FETCH of UID 2 is answered without the message's content
  drop-after-3      the first connection is cut after three messages were sent
  stall-after-1     the first message is sent, then every FETCH is never answered
  fetch-no          a FETCH of UID 2 is answered with a tagged NO and nothing else
  deep-nesting      the answer to LOGIN carries parentheses nested 30,000 deep in one line
  exists-flood      before each message, a megabyte of "* 1 EXISTS" lines
  literal-drip      a message announced as 10 MiB, then one byte every half second
  year-9999         every message is dated 31-Dec-9999 by the server
"""
import argparse
import os
import socket
import ssl
import sys
import time

FOREVER_CHUNK = b"a" * 65536


def read_line(conn, limit=65536):
    data = b""
    while not data.endswith(b"\r\n"):
        byte = conn.recv(1)
        if not byte:
            raise ConnectionError("client closed")
        data += byte
        if len(data) > limit:
            raise ConnectionError("line too long")
    return data[:-2].decode("latin-1")


def send_forever(conn, chunk=FOREVER_CHUNK):
    while True:
        conn.sendall(chunk)


class Server:
    def __init__(self, args):
        self.args = args
        self.connections = 0
        self.context = None
        if args.cert:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.context.load_cert_chain(args.cert, args.key)

    def log(self, text):
        with open(self.args.log, "a", encoding="utf-8") as f:
            f.write(text + "\n")

    def messages(self):
        found = {}
        for name in os.listdir(self.args.messages):
            if name.endswith(".eml") and name[:-4].isdigit():
                with open(os.path.join(self.args.messages, name), "rb") as f:
                    found[int(name[:-4])] = f.read()
        return dict(sorted(found.items()))

    def serve(self, conn):
        self.connections += 1
        scenario = self.args.scenario
        if self.args.tls == "starttls":
            if scenario == "endless-greeting":
                conn.sendall(b"* OK ")
                send_forever(conn)
            conn.sendall(b"* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n")
            while True:
                tag, _, command = read_line(conn).partition(" ")
                self.log(command)
                if command.upper() == "STARTTLS":
                    conn.sendall(tag.encode() + b" OK begin TLS\r\n")
                    break
                if command.upper() == "CAPABILITY":
                    conn.sendall(b"* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n" + tag.encode() + b" OK done\r\n")
                else:
                    conn.sendall(tag.encode() + b" BAD not now\r\n")
            conn = self.context.wrap_socket(conn, server_side=True)
        else:
            conn = self.context.wrap_socket(conn, server_side=True)
            if scenario == "endless-greeting":
                conn.sendall(b"* OK ")
                send_forever(conn)
            conn.sendall(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
        sent_bodies = 0
        while True:
            line = read_line(conn)
            tag, _, rest = line.partition(" ")
            word, _, args = rest.partition(" ")
            word = word.upper()
            self.log("LOGIN" if word == "LOGIN" else rest)
            t = tag.encode()
            if word == "CAPABILITY":
                conn.sendall(b"* CAPABILITY IMAP4rev1\r\n" + t + b" OK done\r\n")
            elif word == "LOGIN":
                if scenario == "deep-nesting":
                    conn.sendall(b"* 1 FETCH (BODYSTRUCTURE (" + b"(" * 30000 + b"1" + b")" * 30000 + b"))\r\n")
                conn.sendall(t + b" OK logged in\r\n")
            elif word == "LOGOUT":
                conn.sendall(b"* BYE bye\r\n" + t + b" OK done\r\n")
                return
            elif word in ("EXAMINE", "SELECT"):
                if scenario == "endless-line":
                    conn.sendall(b"* FLAGS (")
                    send_forever(conn)
                if scenario == "drip":
                    for byte in b"* FLAGS (" + b"x" * 10_000_000:
                        conn.sendall(bytes([byte]))
                        time.sleep(0.5)
                if scenario == "silent":
                    while True:
                        time.sleep(1)
                messages = self.messages()
                uidnext = (max(messages) if messages else 0) + 1
                conn.sendall(b"* %d EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT %d] next\r\n"
                             b"* FLAGS (\\Seen)\r\n%s OK [READ-ONLY] done\r\n" % (len(messages), uidnext, t))
            elif word == "UID" and args.upper().startswith("SEARCH"):
                # "SEARCH UID a:b" or "SEARCH UID a:*"
                span = args.split()[-1]
                first, _, last = span.partition(":")
                low = int(first)
                high = None if last in ("*", "") else int(last)
                uids = [u for u in self.messages() if u >= low and (high is None or u <= high)]
                if scenario == "bogus-uid":
                    uids.append(4294967295)
                conn.sendall(b"* SEARCH" + b"".join(b" %d" % u for u in uids) + b"\r\n" + t + b" OK done\r\n")
            elif word == "UID" and args.upper().startswith("FETCH"):
                uid = int(args.split()[1])
                messages = self.messages()
                if uid not in messages:
                    conn.sendall(t + b" OK done\r\n")
                    continue
                seq = list(messages).index(uid) + 1
                body = messages[uid]
                head = b'* %d FETCH (UID %d INTERNALDATE "07-Dec-2026 10:00:00 +0000" ' % (seq, uid)
                if scenario == "fetch-no" and uid == 2:
                    conn.sendall(t + b" NO [UNAVAILABLE] try later\r\n")
                    continue
                if scenario == "exists-flood":
                    conn.sendall(b"* 1 EXISTS\r\n" * 90000)
                if scenario == "literal-drip":
                    conn.sendall(head + b"BODY[]<0> {10485761}\r\n")
                    for _ in range(10000):
                        conn.sendall(b"a")
                        time.sleep(0.5)
                if scenario == "year-9999":
                    head = head.replace(b"07-Dec-2026 10:00:00 +0000", b"31-Dec-9999 23:59:59 -2359")
                if scenario == "no-body" and uid == 2:
                    conn.sendall(head.rstrip() + b")\r\n" + t + b" OK done\r\n")
                    continue
                if scenario == "huge-literal":
                    conn.sendall(head + b"BODY[]<0> {4294967295}\r\n")
                    send_forever(conn)
                if scenario == "lying-literal":
                    conn.sendall(head + b"BODY[]<0> {100}\r\n" + body[:100])
                    send_forever(conn, b"z" * 65536)
                if scenario == "stall-after-1" and sent_bodies == 1:
                    while True:
                        time.sleep(1)
                if scenario == "drop-after-3" and self.connections == 1 and sent_bodies == 3:
                    conn.shutdown(socket.SHUT_RDWR)
                    return
                conn.sendall(head + b"BODY[]<0> {%d}\r\n" % len(body) + body + b")\r\n" + t + b" OK done\r\n")
                sent_bodies += 1
            else:
                conn.sendall(t + b" BAD unknown command\r\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--tls", choices=["implicit", "starttls"], default="implicit")
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--ready", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--messages", required=True)
    args = parser.parse_args()
    server = Server(args)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    with open(args.ready + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(args.ready + ".tmp", args.ready)
    while True:
        conn, _ = listener.accept()
        try:
            server.serve(conn)
        except (OSError, ssl.SSLError, ConnectionError, ValueError, IndexError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass


if __name__ == "__main__":
    sys.exit(main())
