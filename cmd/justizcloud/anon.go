// SPDX-License-Identifier: EUPL-1.2
// Copyright the Justizcloud authors.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"justizcloud/anon"
	"justizcloud/anon/ner"
	"justizcloud/anon/redact"
	"justizcloud/doctext"
	"justizcloud/errs"
)

const anonUsage = `Usage: justizcloud anon <command> [flags]

Commands:
  train         train the tagger: --train FILE --dev FILE --out FILE [--epochs N]
  eval          score the tagger on a gold CoNLL file: --gold FILE [--model FILE]
  tag           tag CoNLL from stdin: --conll [--model FILE] < in > out
  pseudonymize  pseudonymize a decision (text, PDF, DOCX): [--in FILE] [--pdf-out FILE] [--model FILE]
  policy        show or change a tenant's policy: show|set|reset --tenant DE-XX [--replace PER,RR,...]

Run "justizcloud anon <command> --help" for the flags of a command.
`

func runAnon(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, anonUsage)
		return errors.New("anon: no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "train":
		return runAnonTrain(ctx, rest, getenv, stdout, stderr)
	case "eval":
		return runAnonEval(rest, getenv, stdout, stderr)
	case "tag":
		return runAnonTag(rest, getenv, stdin, stdout, stderr)
	case "pseudonymize":
		return runAnonPseudonymize(ctx, rest, getenv, stdin, stdout, stderr)
	case "policy":
		return runAnonPolicy(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, anonUsage)
		return nil
	default:
		fmt.Fprint(stderr, anonUsage)
		return fmt.Errorf("anon: unknown command %q", cmd)
	}
}

func runAnonTrain(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("anon train", "Trains the German legal NER tagger (averaged structured perceptron) on a\n"+
		"tagged CoNLL file, scores it on the dev file after every epoch, keeps the best\n"+
		"epoch, chooses the person bias on dev and writes the model.", stderr)
	trainFile := fs.String("train", "", "training data (CoNLL: token, tag)")
	devFile := fs.String("dev", "", "dev data for early stopping and the person bias (CoNLL)")
	out := fs.String("out", "", "model file to write")
	epochs := fs.Int("epochs", 30, "passes over the training data")
	minCount := fs.Int("min-count", 3, "drop features seen fewer times in training")
	prune := fs.Float64("prune", 1, "drop averaged weights smaller in magnitude than this (the largest are in the hundreds)")
	recall := fs.Float64("person-recall", 98.5, "smallest person bias whose PER+RR+AN recall on dev reaches this (percent); 0 keeps no bias")
	maxDrop := fs.Float64("max-f1-drop", 1.25, "never give up more micro F1 on dev than this (points) for the person bias")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if *trainFile == "" || *devFile == "" || *out == "" {
		return errors.New("anon train: --train, --dev and --out are required")
	}
	train, err := readCoNLLFile(*trainFile)
	if err != nil {
		return err
	}
	dev, err := readCoNLLFile(*devFile)
	if err != nil {
		return err
	}
	tty := isTerminal(stderr)
	start := time.Now()
	last := time.Time{}
	m, err := ner.Train(ctx, train, ner.TrainOptions{
		Epochs: *epochs, MinCount: *minCount, Prune: float32(*prune), Dev: dev,
		Progress: func(epoch int, done float64) {
			if !tty && done < 1 && time.Since(last) < 10*time.Second {
				return
			}
			last = time.Now()
			bar := strings.Repeat("#", int(done*30)) + strings.Repeat(".", 30-int(done*30))
			if tty {
				fmt.Fprintf(stderr, "\repoch %2d/%d [%s] %3.0f %%", epoch, *epochs, bar, done*100)
			} else {
				fmt.Fprintf(stderr, "epoch %d/%d [%s] %3.0f %%\n", epoch, *epochs, bar, done*100)
			}
		},
		EpochDone: func(epoch int, r ner.Report) {
			if tty {
				fmt.Fprintln(stderr)
			}
			fmt.Fprintf(stderr, "epoch %d: dev micro F1 %.2f, PER+RR+AN recall %.2f (%v)\n", epoch, r.Micro.F1(), r.Persons.Recall(), time.Since(start).Round(time.Second))
		},
	})
	if err != nil {
		return err
	}
	if *recall > 0 {
		b, rep, err := ner.ChoosePersonBias(m, dev, *recall, *maxDrop)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "person bias %.2f: dev micro F1 %.2f, PER+RR+AN recall %.2f\n", b, rep.Micro.F1(), rep.Persons.Recall())
		m = m.WithPersonBias(b)
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("anon train: %w", err)
	}
	if err := m.Save(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("anon train: %w", err)
	}
	rep, err := scoreModel(m, dev)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trained on %d sentences in %v; %d feature rows written to %s\n\ndev (%s):\n", len(train), time.Since(start).Round(time.Second), m.Features(), *out, *devFile)
	return writeReport(stdout, rep)
}

func runAnonEval(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("anon eval", "Tags the tokens of a gold CoNLL file and prints entity-level precision,\n"+
		"recall and F1 (exact span and class, conlleval rules) per fine and coarse\n"+
		"class, micro overall, and recall for PER+RR+AN and STR+ST.", stderr)
	gold := fs.String("gold", "", "gold CoNLL file (token, tag)")
	model := fs.String("model", "", "model file (default: the embedded model)")
	bias := fs.Float64("person-bias", -1, "replace the model's person bias by this value (negative: keep the model's)")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if *gold == "" {
		return errors.New("anon eval: --gold is required")
	}
	m, err := loadModel(*model)
	if err != nil {
		return err
	}
	if *bias >= 0 {
		m = m.WithPersonBias(float32(*bias))
	}
	sents, err := readCoNLLFile(*gold)
	if err != nil {
		return err
	}
	rep, err := scoreModel(m, sents)
	if err != nil {
		return err
	}
	return writeReport(stdout, rep)
}

func runAnonTag(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("anon tag", "Reads CoNLL from stdin (first column the token, other columns ignored, a\n"+
		"blank line between sentences) and writes token<TAB>predicted-tag lines with\n"+
		"the same sentence breaks.", stderr)
	conll := fs.Bool("conll", false, "input and output are CoNLL (the only format so far)")
	model := fs.String("model", "", "model file (default: the embedded model)")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	if !*conll {
		return errors.New("anon tag: --conll is required (for running text use anon pseudonymize)")
	}
	m, err := loadModel(*model)
	if err != nil {
		return err
	}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	sents, err := ner.ReadCoNLL(stdin)
	if err != nil {
		return fmt.Errorf("anon tag: %w", err)
	}
	return ner.WriteCoNLL(stdout, sents, m.TagAll(sents))
}

func loadModel(path string) (*ner.Model, error) {
	if path == "" {
		return ner.Default()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	defer f.Close()
	m, err := ner.Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func readCoNLLFile(path string) ([]ner.Sentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := ner.ReadCoNLL(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func scoreModel(m *ner.Model, gold []ner.Sentence) (ner.Report, error) {
	g := make([][]string, len(gold))
	for i, s := range gold {
		if s.Tags == nil {
			return ner.Report{}, fmt.Errorf("sentence %d has no gold tags", i+1)
		}
		g[i] = s.Tags
	}
	return ner.Evaluate(g, m.TagAll(gold))
}

// writeReport prints a Report as aligned tables.
func writeReport(w io.Writer, r ner.Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(name string, c ner.Counts) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t\n", name, c.Gold, c.Pred, c.Correct, c.Precision(), c.Recall(), c.F1())
	}
	fmt.Fprintf(tw, "fine class\tgold\tpred\tcorrect\tP\tR\tF1\t\n")
	for _, c := range ner.Classes() {
		row(c, r.Fine[c])
	}
	row("micro", r.Micro)
	fmt.Fprintf(tw, "\t\t\t\t\t\t\t\n")
	fmt.Fprintf(tw, "coarse class\tgold\tpred\tcorrect\tP\tR\tF1\t\n")
	for _, c := range ner.CoarseClasses() {
		row(c, r.Coarse[c])
	}
	row("micro", r.CoarseMicro)
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d sentences, %d tokens\nmicro F1 (fine) %.2f, micro F1 (coarse) %.2f\n"+
		"recall PER+RR+AN %.2f %% (%d/%d entities), tokens inside a predicted person %.2f %% (%d/%d)\n"+
		"recall STR+ST %.2f %% (%d/%d entities)\n",
		r.Sentences, r.Tokens, r.Micro.F1(), r.CoarseMicro.F1(),
		r.Persons.Recall(), r.Persons.Correct, r.Persons.Gold, r.PersonTokens.Recall(), r.PersonTokens.Correct, r.PersonTokens.Gold,
		r.Places.Recall(), r.Places.Correct, r.Places.Gold)
	return err
}

func runAnonPseudonymize(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlagSet("anon pseudonymize", "Reads a German decision from --in FILE or stdin — UTF-8 text, a PDF (its text\n"+
		"layer) or a DOCX, told apart by their content — and prints its text\n"+
		"pseudonymized under the default policy: parties, witnesses and lawyers become\n"+
		"A., B., …; streets, places, addresses and identifiers (e-mail, phone, IBAN,\n"+
		"date of birth, licence plate, tax and social security numbers) become numbered\n"+
		"placeholders; judges, courts, laws, authorities and citations stay. --spans\n"+
		"lists what was found. For a PDF, --pdf-out writes a redacted copy: each page\n"+
		"an image, the replaced words painted over in black (at most 300 pages).", stderr)
	model := fs.String("model", "", "model file (default: the embedded model)")
	spans := fs.Bool("spans", false, "after the text, list every span with its kind, source and replacement (on stderr)")
	maxBytes := fs.Int("max-bytes", anon.DefaultMaxBytes, "refuse larger input (the file, and its text)")
	in := fs.String("in", "", "read this file (text, PDF or DOCX) instead of stdin")
	pdfOut := fs.String("pdf-out", "", "write the redacted PDF here (the input must be a PDF)")
	if err := loadFlags(fs, args, getenv); err != nil {
		return err
	}
	m, err := loadModel(*model)
	if err != nil {
		return err
	}
	p, err := anon.New(m, anon.Options{Policy: anon.DefaultPolicy(), MaxBytes: *maxBytes})
	if err != nil {
		return err
	}
	src := stdin
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			return fmt.Errorf("anon pseudonymize: %w", err)
		}
		defer f.Close()
		src = f
	}
	if src == nil {
		src = strings.NewReader("")
	}
	b, err := io.ReadAll(io.LimitReader(src, int64(*maxBytes)+1))
	if err != nil {
		return fmt.Errorf("anon pseudonymize: %w", err)
	}
	if len(b) > *maxBytes {
		return fmt.Errorf("anon pseudonymize: the input exceeds %d bytes: %w", *maxBytes, errs.ErrTooLarge)
	}
	typ := doctext.Sniff(b)
	if *pdfOut != "" && typ != doctext.PDF {
		return fmt.Errorf("anon pseudonymize: --pdf-out needs a PDF as input, not %s", typ)
	}
	doc, err := doctext.Read(ctx, typ, b, doctext.Limits{MaxText: *maxBytes})
	if err != nil {
		return fmt.Errorf("anon pseudonymize: %w", err)
	}
	if doc.Truncated {
		return fmt.Errorf("anon pseudonymize: the text exceeds %d bytes: %w", *maxBytes, errs.ErrTooLarge)
	}
	res, err := p.Pseudonymize(ctx, doc.Text)
	if err != nil {
		return err
	}
	if *pdfOut != "" {
		if err := writeRedacted(ctx, *pdfOut, b, doc, res); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(stdout, res.Text); err != nil {
		return err
	}
	if *spans {
		tw := tabwriter.NewWriter(stderr, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "start\tend\tkind\tsource\treplacement\ttext\n")
		for _, s := range res.Spans {
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\n", s.Start, s.End, s.Kind, s.Source, s.Replacement, s.Text)
		}
		return tw.Flush()
	}
	return nil
}

// writeRedacted writes the redacted copy of the PDF src to path; a failed
// copy leaves no file behind.
func writeRedacted(ctx context.Context, path string, src []byte, doc *doctext.Document, res anon.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("anon pseudonymize: %w", err)
	}
	err = redact.PDF(ctx, f, src, doc, redact.Marks(res.Spans), redact.Options{})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("anon pseudonymize: %w", err)
	}
	return nil
}

// wordsPerPage is the size of a page of a court decision assumed by bench anon.
const wordsPerPage = 400

// runBenchAnon measures tagging and pseudonymization speed on one core.
func runBenchAnon(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench anon", "Tags and pseudonymizes decisions built from LER dev sentences on one\n"+
		"goroutine and prints tokens/s per core, for several lengths (a page is\n"+
		"400 tokens), to show the cost is linear in the length of a decision.", stderr)
	conll := fs.String("conll", "../shared/data/ler/dev.conll", "CoNLL file whose sentences make up the decisions")
	pagesFlag := fs.String("pages", "10,50,100", "decision lengths in pages")
	minTime := fs.Duration("time", 2*time.Second, "minimum time per measurement")
	model := fs.String("model", "", "model file (default: the embedded model)")
	if err := loadFlags(fs, args, func(string) string { return "" }); err != nil {
		return err
	}
	var pages []int
	for _, f := range strings.Split(*pagesFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return fmt.Errorf("bench anon: --pages: bad length %q", f)
		}
		pages = append(pages, n)
	}
	sents, err := readCoNLLFile(*conll)
	if err != nil {
		return err
	}
	if len(sents) == 0 {
		return errors.New("bench anon: no sentences")
	}
	m, err := loadModel(*model)
	if err != nil {
		return err
	}
	p, err := anon.New(m, anon.Options{Policy: anon.DefaultPolicy()})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "GOMAXPROCS %d; one goroutine; %d tokens per page; %d features in the model\n", runtime.GOMAXPROCS(0), wordsPerPage, m.Features())
	fmt.Fprintf(stdout, "tokens/s per core = tokens / CPU seconds of this process; wall = tokens / elapsed seconds\n")
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "pages\ttokens\ttag tokens/s per core\ttag wall\ttag ms/doc (CPU)\tpseudonymize tokens/s per core\tpseudonymize wall\tpseudonymize ms/doc (CPU)\t\n")
	for _, n := range pages {
		doc := decision(sents, n*wordsPerPage)
		text := detokenize(doc)
		tokens := 0
		for _, s := range doc {
			tokens += len(s.Tokens)
		}
		tagWall, tagCPU := measure(ctx, *minTime, func() error {
			for _, s := range doc {
				m.Tag(s.Tokens)
			}
			return nil
		})
		pseudoWall, pseudoCPU := measure(ctx, *minTime, func() error {
			_, err := p.Pseudonymize(ctx, text)
			return err
		})
		if err := ctx.Err(); err != nil {
			return err
		}
		rate := func(d time.Duration) float64 { return float64(tokens) / max(d.Seconds(), 1e-9) }
		fmt.Fprintf(tw, "%d\t%d\t%.0f\t%.0f\t%.1f\t%.0f\t%.0f\t%.1f\t\n", n, tokens,
			rate(tagCPU), rate(tagWall), float64(tagCPU.Microseconds())/1000,
			rate(pseudoCPU), rate(pseudoWall), float64(pseudoCPU.Microseconds())/1000)
	}
	return tw.Flush()
}

// decision concatenates sentences from the start of sents (wrapping around)
// until it holds at least n tokens.
func decision(sents []ner.Sentence, n int) []ner.Sentence {
	var out []ner.Sentence
	for k, i := 0, 0; k < n; i = (i + 1) % len(sents) {
		out = append(out, ner.Sentence{Tokens: sents[i].Tokens})
		k += len(sents[i].Tokens)
	}
	return out
}

// detokenize joins tokens with spaces and sentences with newlines, the raw
// text a pseudonymizer would see.
func detokenize(sents []ner.Sentence) string {
	var b strings.Builder
	for _, s := range sents {
		b.WriteString(strings.Join(s.Tokens, " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// measure runs fn until minTime has passed (at least twice) and returns the
// mean wall time and the mean CPU time of this process per run. The CPU time
// is what "per core" means on a shared machine: other processes that take
// the core away do not count. An error from fn stops it.
func measure(ctx context.Context, minTime time.Duration, fn func() error) (wall, cpu time.Duration) {
	runtime.GC()
	start, cpu0 := time.Now(), cpuTime()
	runs := 0
	for runs < 2 || time.Since(start) < minTime {
		if ctx.Err() != nil || fn() != nil {
			break
		}
		runs++
	}
	n := time.Duration(max(runs, 1))
	return time.Since(start) / n, (cpuTime() - cpu0) / n
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// newAnonService is the pseudonymization service of the API: the embedded
// tagger, each tenant's policy from policies (the default for a tenant that
// chose none), use counted in usage.
func newAnonService(policies anon.PolicyStore, usage anon.UsageStore) (*anon.Service, error) {
	m, err := ner.Default()
	if err != nil {
		return nil, err
	}
	p, err := anon.New(m, anon.Options{Policy: anon.DefaultPolicy()})
	if err != nil {
		return nil, err
	}
	return anon.NewService(p, policies, usage)
}
