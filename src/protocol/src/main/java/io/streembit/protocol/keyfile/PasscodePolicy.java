package io.streembit.protocol.keyfile;

import io.streembit.protocol.ErrorCode;
import io.streembit.protocol.ProtocolException;

import java.util.ArrayList;
import java.util.List;

/**
 * The passcode policy for new key files: at least {@value #MIN_LENGTH} characters from at least
 * {@value #MIN_CLASSES} of four classes (lowercase, uppercase, digits, symbols; anything that is
 * not a cased letter or a digit, a space included, counts as a symbol). The refusal says what is
 * missing and never repeats the passcode, nor its length.
 */
public final class PasscodePolicy {
    public static final int MIN_LENGTH = 10;
    public static final int MIN_CLASSES = 3;

    private PasscodePolicy() {}

    /** Refuses a passcode below the policy with {@link ErrorCode#WEAK_PASSCODE}. */
    public static void check(char[] passcode) throws ProtocolException {
        if (passcode == null || passcode.length == 0) {
            throw new ProtocolException(ErrorCode.WEAK_PASSCODE, "the passcode is empty");
        }
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean symbol = false;
        int length = 0;
        for (int i = 0; i < passcode.length; ) {
            int cp = Character.codePointAt(passcode, i);
            i += Character.charCount(cp);
            length++;
            if (Character.isLowerCase(cp)) {
                lower = true;
            } else if (Character.isUpperCase(cp)) {
                upper = true;
            } else if (Character.isDigit(cp)) {
                digit = true;
            } else {
                symbol = true;
            }
        }
        List<String> missing = new ArrayList<>();
        if (!lower) {
            missing.add("lowercase letters");
        }
        if (!upper) {
            missing.add("uppercase letters");
        }
        if (!digit) {
            missing.add("digits");
        }
        if (!symbol) {
            missing.add("symbols");
        }
        boolean tooShort = length < MIN_LENGTH;
        boolean tooFewClasses = 4 - missing.size() < MIN_CLASSES;
        if (!tooShort && !tooFewClasses) {
            return;
        }
        StringBuilder why = new StringBuilder("the passcode is too weak: ");
        if (tooShort) {
            why.append("it has fewer than ").append(MIN_LENGTH).append(" characters");
        }
        if (tooFewClasses) {
            if (tooShort) {
                why.append(", and ");
            }
            why.append("it must mix at least ")
                    .append(MIN_CLASSES)
                    .append(" of lowercase letters, uppercase letters, digits and symbols (it has no ")
                    .append(String.join(", no ", missing))
                    .append(')');
        }
        throw new ProtocolException(ErrorCode.WEAK_PASSCODE, why.toString());
    }
}
