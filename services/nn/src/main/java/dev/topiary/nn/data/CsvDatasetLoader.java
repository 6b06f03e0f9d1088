package dev.topiary.nn.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a numeric CSV file into a {@link Dataset}, so users can run a pipeline on their own tabular
 * data without converting it. The header is optional (a first line with any non-number is one);
 * the label column is the last unless named or numbered (0-based); labels are integers 0..K-1.
 * Rows are shuffled with a fixed seed and split 80/20, because CSV files are often sorted by label
 * and a plain head/tail split would leave classes out of the test set. Each feature column is
 * min-max scaled with the training rows' minimum and maximum (a constant column becomes 0), so the
 * test split is scaled exactly as new data would be.
 */
final class CsvDatasetLoader {

    /** Fixed so that the split is the same in every process and on every machine. */
    static final long SPLIT_SEED = 42L;
    static final double TRAIN_FRACTION = 0.8;
    // A label this large is a typo or a float column, not a class; the one-hot would not fit anyway.
    private static final int MAX_CLASSES = 100_000;

    private CsvDatasetLoader() {}

    static Dataset load(String name, Path file, String labelColumn, int trainLimit, int testLimit) {
        List<double[]> rows = new ArrayList<>();
        String[] header = null;
        int columns = -1;
        int labelIndex = -1;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (columns < 0) {
                    columns = fields.length;
                    if (columns < 2) {
                        throw new DatasetException(file + " line " + lineNo + ": need at least one feature and one "
                                + "label column, found " + columns + " column(s)");
                    }
                    if (!allNumeric(fields)) {
                        header = unquote(fields);
                        labelIndex = labelIndex(file, header, columns, labelColumn);
                        continue;
                    }
                    labelIndex = labelIndex(file, null, columns, labelColumn);
                }
                if (fields.length != columns) {
                    throw new DatasetException(file + " line " + lineNo + ": expected " + columns
                            + " columns, found " + fields.length);
                }
                rows.add(parse(file, lineNo, fields, header));
            }
        } catch (NoSuchFileException e) {
            throw new DatasetException("Data file not found: " + file);
        } catch (IOException e) {
            throw new DatasetException("Cannot read " + file + ": " + e, e);
        }
        if (rows.size() < 2) {
            throw new DatasetException(file + ": need at least 2 data rows to split into train and test, found "
                    + rows.size());
        }

        int[] labels = new int[rows.size()];
        int numClasses = 0;
        for (int i = 0; i < rows.size(); i++) {
            double v = rows.get(i)[labelIndex];
            if (v < 0 || v != Math.rint(v) || v >= MAX_CLASSES) {
                throw new DatasetException(file + " data row " + (i + 1) + ": label " + v + " in column "
                        + columnName(header, labelIndex) + " is not a class number 0.." + (MAX_CLASSES - 1));
            }
            labels[i] = (int) v;
            numClasses = Math.max(numClasses, labels[i] + 1);
        }

        int[] order = shuffledIndices(rows.size());
        int trainCount = (int) Math.max(1, Math.min(rows.size() - 1, Math.round(rows.size() * TRAIN_FRACTION)));
        int[] train = Arrays.copyOfRange(order, 0, trainLimit > 0 ? Math.min(trainCount, trainLimit) : trainCount);
        int testEnd = testLimit > 0 ? Math.min(rows.size(), trainCount + testLimit) : rows.size();
        int[] test = Arrays.copyOfRange(order, trainCount, testEnd);

        int features = columns - 1;
        double[] min = new double[columns];
        double[] max = new double[columns];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int r : train) {
            double[] row = rows.get(r);
            for (int c = 0; c < columns; c++) {
                min[c] = Math.min(min[c], row[c]);
                max[c] = Math.max(max[c], row[c]);
            }
        }
        return new Dataset(name, file.toString(),
                scaled(rows, train, labelIndex, features, min, max), OneHot.encode(pick(labels, train), numClasses),
                scaled(rows, test, labelIndex, features, min, max), OneHot.encode(pick(labels, test), numClasses),
                numClasses, null);
    }

    private static INDArray scaled(List<double[]> rows, int[] which, int labelIndex, int features,
                                   double[] min, double[] max) {
        float[] data = new float[which.length * features];
        int k = 0;
        for (int r : which) {
            double[] row = rows.get(r);
            for (int c = 0; c < row.length; c++) {
                if (c == labelIndex) {
                    continue;
                }
                double range = max[c] - min[c];
                data[k++] = range > 0 ? (float) ((row[c] - min[c]) / range) : 0f;
            }
        }
        return Nd4j.create(data, new long[] {which.length, features}, DataType.FLOAT);
    }

    private static int[] shuffledIndices(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(SPLIT_SEED);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static int[] pick(int[] values, int[] which) {
        int[] out = new int[which.length];
        for (int i = 0; i < which.length; i++) {
            out[i] = values[which[i]];
        }
        return out;
    }

    private static double[] parse(Path file, int lineNo, String[] fields, String[] header) {
        double[] row = new double[fields.length];
        for (int c = 0; c < fields.length; c++) {
            String f = fields[c].trim();
            try {
                row[c] = Double.parseDouble(f);
            } catch (NumberFormatException e) {
                throw new DatasetException(file + " line " + lineNo + " column " + columnName(header, c)
                        + ": not a number: '" + f + "'");
            }
            if (!Double.isFinite(row[c])) {
                throw new DatasetException(file + " line " + lineNo + " column " + columnName(header, c)
                        + ": not a finite number: '" + f + "'");
            }
        }
        return row;
    }

    private static int labelIndex(Path file, String[] header, int columns, String labelColumn) {
        if (labelColumn == null || labelColumn.isEmpty()) {
            return columns - 1;
        }
        if (header != null) {
            for (int c = 0; c < header.length; c++) {
                if (header[c].equals(labelColumn)) {
                    return c;
                }
            }
        }
        try {
            int index = Integer.parseInt(labelColumn);
            if (index >= 0 && index < columns) {
                return index;
            }
            throw new DatasetException(file + ": label column " + index + " is out of range: the file has "
                    + columns + " columns (0-based)");
        } catch (NumberFormatException e) {
            throw new DatasetException(file + ": no column named '" + labelColumn + "'"
                    + (header == null ? " (the file has no header; give a 0-based column number)"
                            : "; columns are " + String.join(", ", header)));
        }
    }

    private static boolean allNumeric(String[] fields) {
        for (String f : fields) {
            try {
                Double.parseDouble(f.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static String[] unquote(String[] fields) {
        String[] out = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i].trim();
            if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
                f = f.substring(1, f.length() - 1);
            }
            out[i] = f;
        }
        return out;
    }

    private static String columnName(String[] header, int c) {
        return header == null ? Integer.toString(c) : c + " (" + header[c] + ")";
    }
}
