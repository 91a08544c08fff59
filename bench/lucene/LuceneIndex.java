// The benchmark's Lucene baseline (examples/bench/baselines.rs compiles and runs it): the
// JSON Lines files of a corpus indexed by Lucene 8 the way a Lucene user would index a
// multilingual archive: one title and one body field per language, each with its language's
// analyzer (ArabicAnalyzer, FrenchAnalyzer, EnglishAnalyzer; StandardAnalyzer for any other),
// stored, with positions (TextField); Lucene's default codec, merge policy and scheduler.
//
//   java -cp lucene-core.jar:lucene-analyzers-common.jar:CLASSES LuceneIndex INDEX CORPUS THREADS RAM_MB
//
// THREADS threads add documents (Lucene indexes in the threads that call addDocument), as many
// as rasd's writer threads; RAM_MB is the indexing buffer, rasd's writer arenas. The JDK has no
// JSON parser: the few lines below read the flat objects gen-corpus writes.
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

public class LuceneIndex {
    static final String[] LANGUAGES = {"ar", "fr", "en"};

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LuceneIndex INDEX CORPUS THREADS RAM_MB");
            System.exit(2);
        }
        Path index = Paths.get(args[0]);
        Path corpus = Paths.get(args[1]);
        int threads = Integer.parseInt(args[2]);
        double ramMb = Double.parseDouble(args[3]);

        Map<String, Analyzer> analyzers = new HashMap<>();
        Analyzer[] byLanguage = {new ArabicAnalyzer(), new FrenchAnalyzer(), new EnglishAnalyzer()};
        for (int i = 0; i < LANGUAGES.length; i++) {
            analyzers.put("title_" + LANGUAGES[i], byLanguage[i]);
            analyzers.put("body_" + LANGUAGES[i], byLanguage[i]);
        }
        Analyzer analyzer = new PerFieldAnalyzerWrapper(new StandardAnalyzer(), analyzers);
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setRAMBufferSizeMB(ramMb);
        List<Path> files;
        try (Stream<Path> listed = Files.list(corpus)) {
            files = listed.filter(p -> p.toString().endsWith(".jsonl")).sorted()
                .collect(Collectors.toList());
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long added = 0;
        try (FSDirectory directory = FSDirectory.open(index);
             IndexWriter writer = new IndexWriter(directory, config)) {
            // A bounded queue: the reading thread runs a batch itself when the others are busy.
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * 2), new ThreadPoolExecutor.CallerRunsPolicy());
            for (Path file : files) {
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    List<String> batch = new ArrayList<>();
                    String line;
                    while ((line = reader.readLine()) != null) {
                        batch.add(line);
                        added++;
                        if (batch.size() == 100) {
                            submit(pool, writer, batch, failure);
                            batch = new ArrayList<>();
                        }
                    }
                    submit(pool, writer, batch, failure);
                }
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.DAYS);
            if (failure.get() != null) {
                throw new RuntimeException(failure.get());
            }
            writer.commit();
        }
        System.err.println("lucene: " + added + " articles indexed");
    }

    static void submit(ThreadPoolExecutor pool, IndexWriter writer, List<String> batch,
                       AtomicReference<Throwable> failure) {
        pool.execute(() -> {
            try {
                for (String line : batch) {
                    writer.addDocument(document(parse(line)));
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
    }

    static Document document(Map<String, String> article) {
        String lang = article.getOrDefault("lang", "");
        String suffix = java.util.Arrays.asList(LANGUAGES).contains(lang) ? lang : "other";
        Document doc = new Document();
        doc.add(new StringField("id", article.getOrDefault("id", ""), Field.Store.YES));
        doc.add(new TextField("title_" + suffix, article.getOrDefault("title", ""), Field.Store.YES));
        doc.add(new TextField("body_" + suffix, article.getOrDefault("body", ""), Field.Store.YES));
        return doc;
    }

    /** The string values of a flat JSON object (other values are skipped). */
    static Map<String, String> parse(String json) {
        Map<String, String> out = new HashMap<>();
        int[] at = {json.indexOf('{') + 1};
        while (true) {
            skipSpace(json, at);
            if (at[0] >= json.length() || json.charAt(at[0]) == '}') {
                return out;
            }
            String key = string(json, at);
            skipSpace(json, at);
            at[0]++; // ':'
            skipSpace(json, at);
            if (json.charAt(at[0]) == '"') {
                out.put(key, string(json, at));
            } else {
                skipValue(json, at);
            }
            skipSpace(json, at);
            if (at[0] < json.length() && json.charAt(at[0]) == ',') {
                at[0]++;
            }
        }
    }

    static void skipSpace(String s, int[] at) {
        while (at[0] < s.length() && Character.isWhitespace(s.charAt(at[0]))) {
            at[0]++;
        }
    }

    static void skipValue(String s, int[] at) {
        int depth = 0;
        while (at[0] < s.length()) {
            char c = s.charAt(at[0]);
            if (c == '"') {
                string(s, at);
                continue;
            }
            if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                if (depth == 0) {
                    return;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                return;
            }
            at[0]++;
        }
    }

    static String string(String s, int[] at) {
        StringBuilder out = new StringBuilder();
        at[0]++; // the opening quote
        while (at[0] < s.length()) {
            char c = s.charAt(at[0]++);
            if (c == '"') {
                break;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = s.charAt(at[0]++);
            switch (e) {
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'u':
                    out.append((char) Integer.parseInt(s.substring(at[0], at[0] + 4), 16));
                    at[0] += 4;
                    break;
                default: out.append(e);
            }
        }
        return out.toString();
    }
}
