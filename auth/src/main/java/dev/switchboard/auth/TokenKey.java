package dev.switchboard.auth;

/**
 * One key a token may be signed with. {@link #verifies} checks the signature held by the calling thread's
 * {@link VerifyScratch} over its signing input, with that thread's own instance of the key's MAC or
 * signature engine ({@code index} names it there): no provider look-up and no key set-up per token.
 */
sealed interface TokenKey permits Hs256Key, Rs256Key {
    /** The {@code alg} of the tokens this key verifies ({@link TokenFields#HS256} or {@link TokenFields#RS256}). */
    int alg();

    boolean verifies(VerifyScratch scratch, int index);
}
