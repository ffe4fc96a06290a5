namespace KernelGen.Models.Data;

/// <summary>
/// A character-level tokenizer: each distinct UTF-16 character of a text is one token, numbered in ordinal order
/// (so the numbering depends only on which characters occur, as in nanoGPT's shakespeare_char). A character outside
/// the Basic Multilingual Plane is two tokens, its surrogates.
/// </summary>
public sealed class CharVocabulary
{
    private readonly char[] _characters;
    private readonly int[] _tokenOf; // indexed by char; -1 where the char is not in the vocabulary

    /// <summary>The vocabulary of the characters in <paramref name="text"/>.</summary>
    public CharVocabulary(ReadOnlySpan<char> text)
    {
        var seen = new bool[char.MaxValue + 1];
        foreach (char c in text) seen[c] = true;
        var characters = new List<char>();
        for (int c = 0; c < seen.Length; c++)
            if (seen[c]) characters.Add((char)c);
        _characters = [.. characters];
        _tokenOf = new int[characters.Count == 0 ? 0 : characters[^1] + 1];
        Array.Fill(_tokenOf, -1);
        for (int t = 0; t < _characters.Length; t++) _tokenOf[_characters[t]] = t;
    }

    /// <summary>How many tokens there are: a language model's embedding rows and output classes.</summary>
    public int Size => _characters.Length;

    /// <summary>The characters, by token.</summary>
    public IReadOnlyList<char> Characters => _characters;

    /// <summary>The token of each character; a character the vocabulary lacks is an <see cref="ArgumentException"/> naming it.</summary>
    public int[] Encode(ReadOnlySpan<char> text)
    {
        var tokens = GC.AllocateUninitializedArray<int>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            int token = c < _tokenOf.Length ? _tokenOf[c] : -1;
            if (token < 0)
                throw new ArgumentException($"Character U+{(int)c:X4} '{c}' at index {i} is not in the vocabulary of {Size} characters.", nameof(text));
            tokens[i] = token;
        }
        return tokens;
    }

    /// <summary>The text of <paramref name="tokens"/>; a token outside 0 .. Size - 1 is an <see cref="ArgumentOutOfRangeException"/>.</summary>
    public string Decode(ReadOnlySpan<int> tokens)
    {
        var chars = new char[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            int token = tokens[i];
            if ((uint)token >= (uint)_characters.Length)
                throw new ArgumentOutOfRangeException(nameof(tokens), $"Token {token} at index {i} is outside the vocabulary of {Size} characters.");
            chars[i] = _characters[token];
        }
        return new string(chars);
    }
}
